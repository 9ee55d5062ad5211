import Foundation
import XCTest

/// Bad input to `rnn train`: one clear error line naming the problem, exit code 1, and no
/// output folder.
final class MalformedInputTests: XCTestCase {
    private func assertOneError(_ args: [String], out: URL, contains expected: [String],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLIRunner.run(["train"] + args + ["--lookback", "3", "--model", "lstm:2,dense:1", "--epochs", "1", "--out", out.path])
        XCTAssertEqual(r.status, 1, r.stderr, file: file, line: line)
        XCTAssertEqual(r.errorLines.count, 1, "exactly one line on stderr: \(r.stderr)", file: file, line: line)
        for text in expected { XCTAssertTrue(r.stderr.contains(text), "'\(text)' in: \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no partial output", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testNonNumericCell() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.write(["date,value", "2022-01-01,1.5", "2022-01-02,abc", "2022-01-03,2"],
                                                to: dir.appendingPathComponent("bad.csv"))
        try assertOneError(["--data", csv.path], out: dir.appendingPathComponent("out"),
                           contains: ["bad.csv:3:2", "expected a number", "'abc'"])
    }

    func testDateOutOfOrder() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.write(["date,value", "2022-01-01,1", "2022-01-03,2", "2022-01-02,3"],
                                                to: dir.appendingPathComponent("order.csv"))
        try assertOneError(["--data", csv.path], out: dir.appendingPathComponent("out"),
                           contains: ["order.csv:4", "increasing order", "2022-01-02 after 2022-01-03"])
    }

    func testHeaderOnlyFile() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.write(["date,value"], to: dir.appendingPathComponent("empty.csv"))
        try assertOneError(["--data", csv.path], out: dir.appendingPathComponent("out"),
                           contains: ["empty.csv", "expected data rows after the header"])
    }

    func testWorkbookWithoutTheStation() throws {
        let dir = try CLIRunner.tempDir()
        let xlsx = try ForecastCLIFixtures.giosWorkbook(in: dir)
        try assertOneError(["--data", xlsx.path, "--station", "MpKrakZloRog"], out: dir.appendingPathComponent("out"),
                           contains: ["2021_PM10_1g.xlsx", "MpKrakZloRog", "MpKrakBujaka"])
    }

    func testWorkbookWithTheStationIsRead() throws {
        // The same hand-written workbook is readable: the failure above is the station, not the file.
        let dir = try CLIRunner.tempDir()
        let xlsx = try ForecastCLIFixtures.giosWorkbook(in: dir)
        let r = try CLIRunner.run(["train", "--data", xlsx.path, "--station", "MpKrakBujaka", "--lookback", "1",
                                   "--model", "lstm:2,dense:1", "--epochs", "1", "--out", dir.appendingPathComponent("o").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("not enough data"), r.stderr)  // 2 rows make too few windows
        XCTAssertTrue(r.stderr.contains("Read 2 rows"), r.stderr)
    }

    func testBadModelSpecPointsAtTheTokenBeforeReadingData() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 30)
        let out = dir.appendingPathComponent("out")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "3", "--model", "lstm:8:seq,dropot:0.2,dense:1",
                                   "--out", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("token 2 'dropot:0.2'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
