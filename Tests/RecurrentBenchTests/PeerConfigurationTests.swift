import Foundation
import XCTest
@testable import RecurrentBench

/// The peer scripts (bench/peers/common.py) must time the same shapes as `rnn bench`,
/// or the ratios in BENCHMARKS.md compare different work.
final class PeerConfigurationTests: XCTestCase {
    func testPythonPeersUseTheSameConfigurations() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../bench/peers/common.py").standardizedFileURL
        let text = try String(contentsOf: script, encoding: .utf8)
        for config in BenchConfiguration.all {
            guard let line = text.split(separator: "\n").first(where: { $0.contains("\"\(config.name)\": {") }) else {
                return XCTFail("\(script.path) has no configuration '\(config.name)'")
            }
            let expected = ["\"cell\": \"\(config.cell.rawValue)\"", "\"layers\": \(config.layers)", "\"units\": \(config.units)",
                            "\"dropout\": \(config.dropout)", "\"lookback\": \(config.lookback)", "\"batch\": \(config.batchSize)",
                            "\"windows\": \(config.windows)"]
            for field in expected { XCTAssertTrue(line.contains(field), "\(config.name): \(field) not in \(line)") }
        }
        let runner = BenchRunner()
        XCTAssertTrue(text.contains("INFER_BATCH = \(runner.inferenceBatch)\n"), "INFER_BATCH differs from BenchRunner.inferenceBatch")
        XCTAssertTrue(text.contains("TIMED_EPOCHS = \(runner.timedEpochs)\n"), "TIMED_EPOCHS differs from BenchRunner.timedEpochs")
    }
}
