import Foundation
import XCTest
import Forecast
import LabDemos
import Recurrent

/// `rnn predict` on a forecasting model, `rnn evaluate --test-from/--all`, and the training
/// fraction that follows --validation.
final class SavedModelCommandsTests: XCTestCase {
    private func trainedModel(in dir: URL, extra: [String] = []) throws -> (model: URL, csv: URL) {
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir)
        let out = dir.appendingPathComponent("train")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "4", "--model", "gru:3,dense:1", "--epochs", "1",
                                   "--out", out.path, "--quiet"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return (out.appendingPathComponent("model.safetensors"), csv)
    }

    func testPredictAppliesTheStoredScalingAndSaysSo() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let (modelURL, _) = try trainedModel(in: dir)
        let raw = Tensor(shape: [2, 4, 1], scalars: [10, 11, 12, 12.5, 9, 8.5, 8, 9.5])
        let input = dir.appendingPathComponent("x.npy"), output = dir.appendingPathComponent("y.npy")
        try NPY.write(raw, to: input)
        let r = try CLIRunner.run(["predict", "--model", modelURL.path, "--input", input.path, "--output", output.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("stored scalings"), r.stderr)
        let stored = try ForecastModelFile.load(from: modelURL)
        let s = stored.scalings[0]
        let scaled = Tensor(shape: raw.shape, scalars: raw.scalars.map { Float(s.transform(Double($0))) })
        let expected = try stored.model.predict(scaled).scalars.map { s.inverse(Double($0)) }
        let y = try NPY.read(from: output)
        XCTAssertEqual(y.shape, [2, 1])
        for (a, b) in zip(y.scalars, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-4 * max(1, abs(b))) }
        XCTAssertGreaterThan(y.scalars.min()!, 5, "original units (the series lies around 7…14), not [0, 1]")

        let rawOut = dir.appendingPathComponent("raw.npy")
        let rawRun = try CLIRunner.run(["predict", "--model", modelURL.path, "--input", input.path, "--output", rawOut.path, "--raw"])
        XCTAssertEqual(rawRun.status, 0, rawRun.stderr)
        XCTAssertEqual(try NPY.read(from: rawOut), try stored.model.predict(raw), "--raw: the array as given, the output as the model returns it")
    }

    func testPredictRefusesAModelOfChangesAndNamesForecast() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let (modelURL, _) = try trainedModel(in: dir, extra: ["--transform", "difference"])
        let input = dir.appendingPathComponent("x.npy"), output = dir.appendingPathComponent("y.npy")
        try NPY.write(Tensor(shape: [1, 4, 1], scalars: [1, 2, 3, 4]), to: input)
        let r = try CLIRunner.run(["predict", "--model", modelURL.path, "--input", input.path, "--output", output.path])
        assertCleanFailure(r, mentions: "rnn forecast")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
    }

    func testEvaluateTestFromAndAllChooseTheTestPartAndTinyPartsWarn() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let (modelURL, csv) = try trainedModel(in: dir)
        func testWindows(_ extra: [String]) throws -> (Int, String) {
            let out = dir.appendingPathComponent("eval-\(UUID().uuidString)")
            let r = try CLIRunner.run(["evaluate", "--model", modelURL.path, "--data", csv.path, "--out", out.path, "--progress", "none"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let data = try XCTUnwrap(try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))["data"] as? [String: Any])
            return (try XCTUnwrap(data["test_windows"] as? Int), r.stderr)
        }
        // 120 daily rows from 2022-01-03, lookback 4: 116 windows, the first target on 2022-01-07.
        let (stored, storedLog) = try testWindows([])
        XCTAssertEqual(stored, 24, "the stored 80/20 split")
        XCTAssertTrue(storedLog.contains("Warning: the test part has only 24 windows"), storedLog)
        let (all, allLog) = try testWindows(["--all"])
        XCTAssertEqual(all, 116)
        XCTAssertFalse(allLog.contains("Warning"), allLog)
        // 2022-03-01 is day 57 (0-based) of the data: targets from there on.
        let (from, _) = try testWindows(["--test-from", "2022-03-01"])
        XCTAssertEqual(from, 120 - 57)
        // The case: --from on new data keeps few rows, the stored split leaves a tiny test part.
        let (few, fewLog) = try testWindows(["--from", "2022-04-10"])
        XCTAssertLessThan(few, 30)
        XCTAssertTrue(fewLog.contains("--test-from DATE or --all"), fewLog)
        let bad = try CLIRunner.run(["evaluate", "--model", modelURL.path, "--data", csv.path, "--out", dir.appendingPathComponent("x").path, "--all", "--test-from", "2022-03-01"])
        assertCleanFailure(bad, mentions: "not both")
    }

    func testTheDefaultTrainingFractionLeavesTwentyPercentForTestingWhateverValidationTakes() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 204)
        let out = dir.appendingPathComponent("v")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--epochs", "1",
                                   "--validation", "0.15", "--out", out.path, "--json", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try XCTUnwrap(try CLIRunner.json(r.stdout)["data"] as? [String: Any])
        // 200 windows: 65 % train, 15 % validation, 20 % test (not 80/15/5).
        XCTAssertEqual(data["windows"] as? Int, 200)
        XCTAssertEqual(data["test_windows"] as? Int, 40)
        XCTAssertEqual(data["validation_windows"] as? Int, 30)
        let bad = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "4", "--model", "gru:2,dense:1", "--train", "0.9",
                                     "--validation", "0.15", "--out", dir.appendingPathComponent("w").path])
        assertCleanFailure(bad, mentions: "leave no test part")
        let help = try CLIRunner.run(["train", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(help.contains("leaves 20 % of the windows for the test part after --validation"), "documented in --help")
    }
}
