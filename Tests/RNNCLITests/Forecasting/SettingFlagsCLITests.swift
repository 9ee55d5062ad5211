import Foundation
import XCTest

/// The library reports setting problems in its own terms; the CLI tells them with its flags.
final class SettingFlagsCLITests: XCTestCase {
    func testSettingProblemsNameTheFlags() throws {
        let dir = try CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let daily = try ForecastCLIFixtures.dailyCSV(in: dir)
        let odd = try ForecastCLIFixtures.write(["date,v", "2024-01-01,1", "2024-01-04,2", "2024-01-09,3"], to: dir.appendingPathComponent("odd.csv"))
        let common = ["--lookback", "5", "--model", "lstm:2,dense:1", "--epochs", "1", "--quiet"]
        let cases: [([String], String)] = [
            (["train", "--data", odd.path] + common, "give --frequency (Nmin"),
            (["train", "--data", odd.path] + common, "--resample daily, or --frequency steps to treat rows as plain steps"),
            (["train", "--data", daily.path, "--on-linear-arx", "--horizon", "2"] + common, "use --horizon 1 and --transform none"),
            (["train"] + common, "no data file given (--data PATH)"),
        ]
        for (i, (args, expected)) in cases.enumerated() {
            let r = try CLIRunner.run(args + ["--out", dir.appendingPathComponent("out\(i)").path])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(expected), "expected '\(expected)' in: \(r.stderr)")
        }
    }
}
