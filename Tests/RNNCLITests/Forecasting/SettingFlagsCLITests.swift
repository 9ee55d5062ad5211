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

/// Demo and study parameters out of range are told with the flag that sets them.
final class ParameterFlagsCLITests: XCTestCase {
    func testParameterErrorsNameTheFlag() throws {
        let dir = try CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["demo", "classify-points", "--points", "2", "--quiet"], "--points must be at least 4, got 2"),
            (["demo", "tag", "--train", "1", "--quiet"], "--train must be at least 4, got 1"),
            (["demo", "classify-sequences", "--min-length", "1", "--quiet"], "--min-length must be at least 2, got 1"),
            (["demo", "adding", "--lr", "0", "--quiet"], "--lr must be positive, got 0.0"),
            (["gradients", "--init", "xavier", "--quiet"], "--init must be keras, pytorch or both, got 'xavier'"),
        ]
        for (args, expected) in cases {
            let r = try CLIRunner.run(args, in: dir)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(expected), "expected '\(expected)' in: \(r.stderr)")
        }
    }
}
