import Foundation
import XCTest

/// `rnn study` on daily input, checks before writing, more seeds later, overall progress;
/// and no empty --out folder after a failure once the data has been read.
final class StudyNewcomerTests: XCTestCase {
    private func grid(in dir: URL) throws -> URL {
        let grid = dir.appendingPathComponent("grid.json")
        try Data(#"{"epochs": 1, "patience": 1, "architectures": ["gru:2,dense:1"]}"#.utf8).write(to: grid)
        return grid
    }

    func testADailyCSVServesADailyStudyAndMoreSeedsExtendIt() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 200)
        let out = dir.appendingPathComponent("study")
        let args = ["study", "--data", csv.path, "--target", "daily", "--lookback", "7", "--grid", try grid(in: dir).path,
                    "--workers", "1", "--out", out.path]
        let first = try CLIRunner.run(args + ["--seeds", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("200 daily rows read"), first.stderr)
        XCTAssertTrue(first.stderr.contains("study: 1 of 1 trial done (100%)"), "overall progress: \(first.stderr)")
        let more = try CLIRunner.run(args + ["--seeds", "3"])
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertTrue(more.stderr.contains("extending"), more.stderr)
        XCTAssertTrue(more.stderr.contains("1 already finished, 2 to train"), more.stderr)
        XCTAssertTrue(more.stderr.contains("study: 1 of 2 trials done (50%)"), more.stderr)
        XCTAssertTrue(more.stderr.contains("left"), "an estimate of the time left: \(more.stderr)")
        let trials = try String(contentsOf: out.appendingPathComponent("trials.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(trials.count, 3)
        let hourly = try CLIRunner.run(["study", "--data", csv.path, "--target", "hourly", "--grid", try grid(in: dir).path,
                                        "--out", dir.appendingPathComponent("hourly").path])
        assertCleanFailure(hourly, mentions: "--target daily")
    }

    func testDataThatCannotServeTheStudyLeavesNothingInOut() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 12)
        let out = dir.appendingPathComponent("study")
        let r = try CLIRunner.run(["study", "--data", csv.path, "--target", "daily", "--lookback", "14", "--grid", try grid(in: dir).path,
                                   "--out", out.path])
        assertCleanFailure(r, mentions: "windows")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no study.json, no folder")
    }

    func testTrainOnTooLittleDataLeavesNoEmptyFolder() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 10)
        let out = dir.appendingPathComponent("train")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "9", "--model", "gru:2,dense:1", "--out", out.path, "--quiet"])
        assertCleanFailure(r, mentions: "windows")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
