import Foundation
import XCTest

/// Absurd numbers on the command line (issue 10): one line, exit 1, quickly — never a trap,
/// a multi-gigabyte allocation or a run that never ends.
final class HostileNumbersCLITests: XCTestCase {
    func testHugeCountsAreRefusedBeforeAnyWork() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 120)
        let max = String(Int.max)
        let cases: [([String], String)] = [
            (["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--epochs", max, "--out", dir.appendingPathComponent("a").path],
             "above the limit of 100000"),
            (["train", "--data", csv.path, "--lookback", max, "--model", "gru:2,dense:1", "--out", dir.appendingPathComponent("b").path],
             "between 1 and 16777216"),
            (["train", "--data", csv.path, "--lookback", "4", "--model", "lstm:3000000000000000000,dense:1", "--out", dir.appendingPathComponent("c").path],
             "above the limit of 65536"),
            (["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--epochs", "1", "--forecast", max, "--out", dir.appendingPathComponent("d").path],
             "forecast steps must be between 0 and 1000000"),
            (["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--forecast", "-5", "--out", dir.appendingPathComponent("f").path],
             "--forecast must be 0 or more"),
            (["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--seasonality", "-7", "--out", dir.appendingPathComponent("g").path],
             "--seasonality must be at least 1"),
            (["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--min-hours", "0", "--out", dir.appendingPathComponent("i").path],
             "--min-hours must be in 1…24"),
            (["forecast", "--model", "m.safetensors", "--data", csv.path, "--steps", "-3", "--out", dir.appendingPathComponent("j").path],
             "--steps must be at least 1"),
            (["study", "--data", csv.path, "--target", "daily", "--lookback", "4", "--preset", "lab", "--seeds", max, "--out", dir.appendingPathComponent("e").path],
             "--seeds must be between 1 and 1000"),
            (["study", "--data", csv.path, "--target", "daily", "--lookback", "4", "--preset", "lab", "--gemm-threads", "3000000000", "--out", dir.appendingPathComponent("h").path],
             "--gemm-threads must be between 1 and 1024"),
            (["bench", "--threads", "3000000000", "--config", "predict1"], "--threads must be between 1 and 1024"),
        ]
        for (args, expected) in cases {
            let start = Date()
            let r = try CLIRunner.run(args + ["--quiet"])
            assertCleanFailure(r, mentions: expected)
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, args.joined(separator: " "))
        }
    }

    func testOutThatCannotBeAFolderIsOneLineNotADump() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 120)
        let file = dir.appendingPathComponent("afile")
        try Data("x".utf8).write(to: file)
        for (out, reason) in [(file.path, "a file is in the way"), (file.appendingPathComponent("sub").path, "Not a directory")] {
            let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--epochs", "1", "--out", out, "--quiet"])
            assertCleanFailure(r, mentions: reason)
            XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), r.stderr)
        }
    }

    func testPredictOnAnInputWithoutTimeStepsIsAnError() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let model = dir.appendingPathComponent("sine")
        XCTAssertEqual(try CLIRunner.run(["demo", "sine", "--epochs", "1", "--out", model.path, "--quiet"]).status, 0)
        let empty = dir.appendingPathComponent("empty.csv")
        try Data("a\n".utf8).write(to: empty)
        let r = try CLIRunner.run(["predict", "--model", model.appendingPathComponent("model.safetensors").path, "--input", empty.path,
                                   "--output", dir.appendingPathComponent("y.csv").path])
        assertCleanFailure(r, mentions: "every dimension must be at least 1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("y.csv").path))
    }
}
