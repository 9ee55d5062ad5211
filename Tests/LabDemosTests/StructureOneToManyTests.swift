import XCTest
import Recurrent
@testable import LabDemos
@testable import Forecast

/// One-to-many: generation by feeding outputs back.
final class StructureOneToManyTests: XCTestCase {
    /// Margins: free-running wave MSE ≤ 0.2 × predicting 0; symbol strings sampled at τ = 0.5
    /// follow the class rule ≥ 0.8 of the time (uniform random: 0.25, the true chains 0.85).
    func testGeneratesWavesAndSymbolStrings() throws {
        var o = GenerateDemo.Options(run: StructureRun(seed: 5, epochs: 25))
        o.length = 20; o.sequences = 120; o.units = 16; o.learningRate = 0.01
        o.temperatures = [0.5, 1.5]
        let r = try GenerateDemo.run(o)
        XCTAssertLessThan(r.generatedMSE, 0.2 * r.zeroMSE, "generated \(r.generatedMSE) vs zero \(r.zeroMSE)")
        XCTAssertGreaterThanOrEqual(r.ruleRates[0], 0.8, "rule rate at τ=0.5: \(r.ruleRates)")
        XCTAssertGreaterThan(r.ruleRates[0], r.ruleRates[1], "a lower temperature follows the rule more often")
        XCTAssertEqual(r.generated.count, r.testWaves.count)
        XCTAssertEqual(r.generated[0].count, 20)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("structures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = try GenerateDemo.writeReport(r, to: dir, command: "rnn demo generate")
        XCTAssertNotNil(metrics["wave_generated_mse"] as? Double)
        for name in ["report.html", "metrics.json", "wave-1.svg", "symbols.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), name)
        }
    }

    func testRuleRateAndSampling() {
        XCTAssertEqual(GenerateDemo.ruleRate([[0, 1, 2, 3, 0]], classes: [0]), 1)
        XCTAssertEqual(GenerateDemo.ruleRate([[0, 3, 2]], classes: [1]), 1)
        XCTAssertEqual(GenerateDemo.ruleRate([[0, 2, 0, 1]], classes: [2]), 2.0 / 3, accuracy: 1e-12)
        var rng = SeededGenerator(seed: 1)
        // A very low temperature always picks the most likely symbol.
        for _ in 0..<50 { XCTAssertEqual(GenerateDemo.sample([0.2, 0.5, 0.3], temperature: 0.01, rng: &rng), 1) }
    }
}
