import Foundation
import XCTest

/// The small things of issue 15: time stamps, final newlines, grammar, progress bars,
/// messages and default output folders.
final class SmallOnesTests: XCTestCase {
    func testHourlyStampsCarryTheTimeOfDayAndFilesEndWithANewline() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.hourlyCSV(in: dir)
        let out = dir.appendingPathComponent("hourly")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "6", "--model", "gru:2,dense:1", "--epochs", "1",
                                   "--forecast", "3", "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The data run from 2023-03-01 00:00 to 2023-03-04 23:00; the forecast starts at midnight.
        XCTAssertTrue(r.stdout.contains("Forecast dates: 2023-03-05 00:00:00 "), r.stdout)
        let metrics = try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))
        XCTAssertEqual((metrics["data"] as? [String: Any])?["first"] as? String, "2023-03-01 00:00:00")
        XCTAssertEqual((metrics["forecast"] as? [[String: Any]])?.first?["time"] as? String, "2023-03-05 00:00:00")
        for file in ["forecast.csv", "predictions.csv", "history.csv", "metrics.json"] {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.hasSuffix("\n"), "\(file) ends with a newline")
        }
        let json = try String(contentsOf: out.appendingPathComponent("metrics.json"), encoding: .utf8)
        XCTAssertFalse(json.contains("\\/"), "no escaped slashes")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("6 steps × 1 feature:"), "grammar of the inputs line")
        XCTAssertFalse(html.contains("1 features"))
    }

    func testClassifySequencesDrawsTheBarWhenAskedAndLinesOtherwise() throws {
        let args = ["demo", "classify-sequences", "--epochs", "2", "--train", "64", "--test", "16", "--units", "4",
                    "--min-length", "5", "--max-length", "8"]
        let dir = try CLIRunner.tempDir(for: self)
        let bar = try CLIRunner.run(args + ["--progress", "bar", "--out", dir.appendingPathComponent("a").path])
        XCTAssertEqual(bar.status, 0, bar.stderr)
        XCTAssertTrue(bar.stderr.contains("\r"), "a bar redrawn in place: \(bar.stderr.debugDescription)")
        XCTAssertTrue(bar.stderr.contains("2/2"), bar.stderr)
        let lines = try CLIRunner.run(args + ["--progress", "lines", "--out", dir.appendingPathComponent("b").path])
        XCTAssertEqual(lines.status, 0, lines.stderr)
        XCTAssertFalse(lines.stderr.contains("\r"), "no bar when stderr is not a terminal and lines are asked for")
        XCTAssertTrue(lines.stderr.contains("Epoch 2/2"), lines.stderr)   // fit's progress line, as every demo that trains through fit
    }

    func testSeq2SeqGeneratedSaysWhy() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let r = try CLIRunner.run(["demo", "seq2seq", "--generated", "--epochs", "1", "--lookback", "8", "--horizon", "3",
                                   "--units", "2", "--out", dir.appendingPathComponent("s").path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse((r.stdout + r.stderr).contains("No data folder given"), r.stdout)
        XCTAssertTrue(r.stdout.contains("--generated"), r.stdout)
    }

    func testAddingRunsWithDifferentSettingsKeepTheirOwnReports() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let common = ["demo", "adding", "--cells", "rnn", "--units", "2", "--epochs", "1", "--train-samples", "32", "--test-samples", "8", "--quiet"]
        for steps in ["5", "6"] {
            let r = try CLIRunner.run(common + ["--steps", steps], in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let base = dir.appendingPathComponent("rnn-output")
        let folders = try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
        XCTAssertEqual(folders, ["adding-steps5-cellsrnn-units2-train32-test8-epochs1", "adding-steps6-cellsrnn-units2-train32-test8-epochs1"])
        for f in folders {
            XCTAssertTrue(FileManager.default.fileExists(atPath: base.appendingPathComponent(f).appendingPathComponent("report.html").path))
        }
    }
}
