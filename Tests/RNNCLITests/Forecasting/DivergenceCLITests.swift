import Foundation
import XCTest

/// Training that blows up ends with one line naming the problem and the flag to try: the
/// library reports the remedy as data, the CLI words it with its own flag.
final class DivergenceCLITests: XCTestCase {
    private func train(_ extra: [String]) throws -> CLIRunner.Output {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 60)
        return try CLIRunner.run(["train", "--data", csv.path, "--lookback", "5", "--model", "simplernn:4,dense:1", "--epochs", "2",
                                  "--optimizer", "sgd", "--lr", "1e30", "--out", dir.appendingPathComponent("out").path, "--quiet"] + extra)
    }

    func testUnclippedDivergenceSuggestsTheClipNormFlag() throws {
        let r = try train([])
        assertCleanFailure(r, mentions: "non-finite")
        let line = r.errorLines.last ?? ""
        XCTAssertTrue(line.contains("try clipping: --clip-norm 1.0"), line)
        XCTAssertTrue(line.contains("the weights from the start of fit were restored"), line)
        XCTAssertFalse(line.contains("gradient clipping by global norm"), "the library's wording is replaced: \(line)")
    }

    func testClippedDivergenceSuggestsALowerLR() throws {
        let r = try train(["--clip-norm", "1"])
        assertCleanFailure(r, mentions: "non-finite")
        XCTAssertTrue((r.errorLines.last ?? "").contains("try a lower --lr (now 1e+30)"), r.stderr)
    }
}
