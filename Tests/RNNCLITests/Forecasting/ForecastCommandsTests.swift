import Foundation
import XCTest

/// `rnn train / evaluate / forecast / backtest` on small generated files (tiny models, 1–2 epochs).
final class ForecastCommandsTests: XCTestCase {
    func testTrainThenEvaluateAndForecastReuseTheStoredSetup() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir)
        let out = dir.appendingPathComponent("train")
        let train = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "8", "--model", "lstm:4,dense:1",
                                       "--epochs", "2", "--batch-size", "16", "--forecast", "5", "--out", out.path, "--json", "--quiet"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let object = try CLIRunner.json(train.stdout)
        let test = try XCTUnwrap(object["test"] as? [String: Any])
        let modelRMSE = try XCTUnwrap((test["model"] as? [String: Any])?["rmse"] as? Double)
        XCTAssertTrue(modelRMSE.isFinite && modelRMSE > 0)
        XCTAssertNotNil(test["persistence"])
        XCTAssertEqual(object["epochs"] as? Int, 2)
        for file in ["model.safetensors", "metrics.json", "predictions.csv", "forecast.csv", "history.csv",
                     "history.svg", "test.svg", "forecast.svg", "loss.svg", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        let predictions = try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8)
        XCTAssertTrue(predictions.hasPrefix("timestamp,actual,model,persistence"), predictions)
        // 120 rows − 8 lookback = 112 windows; 80% train leaves 23 test windows.
        XCTAssertEqual(predictions.split(separator: "\n").count, 1 + 23)
        let forecast = try String(contentsOf: out.appendingPathComponent("forecast.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(forecast.first, "timestamp,forecast")
        // The data end on 2022-05-02 (120 days from 2022-01-03); the forecast continues daily.
        XCTAssertEqual(forecast.dropFirst().map { String($0.prefix(10)) }, ["2022-05-03", "2022-05-04", "2022-05-05", "2022-05-06", "2022-05-07"])
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 4, "four charts inline")
        XCTAssertTrue(html.contains("rnn train"), "the exact command is shown")

        let evalOut = dir.appendingPathComponent("eval")
        let evaluate = try CLIRunner.run(["evaluate", "--model", out.appendingPathComponent("model.safetensors").path,
                                          "--data", csv.path, "--out", evalOut.path, "--json", "--quiet"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let evaluated = try CLIRunner.json(file: evalOut.appendingPathComponent("metrics.json"))
        let again = try XCTUnwrap(((evaluated["test"] as? [String: Any])?["model"] as? [String: Any])?["rmse"] as? Double)
        XCTAssertEqual(again, modelRMSE, accuracy: 1e-9, "same data, stored scalings: the same test RMSE")

        let fcOut = dir.appendingPathComponent("forecast")
        let fc = try CLIRunner.run(["forecast", "--model", out.appendingPathComponent("model.safetensors").path,
                                    "--data", csv.path, "--steps", "3", "--out", fcOut.path, "--quiet"])
        XCTAssertEqual(fc.status, 0, fc.stderr)
        let rows = try String(contentsOf: fcOut.appendingPathComponent("forecast.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(forecast[1...3].map(String.init), rows[1...3].map(String.init), "the same model forecasts the same values")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fcOut.appendingPathComponent("forecast.svg").path))
    }

    func testHourlyDataGetsGapsFilledAndHourlyForecastDates() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.hourlyCSV(in: dir)
        let out = dir.appendingPathComponent("out")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "6", "--model", "gru:3,dense:1", "--epochs", "1",
                                   "--fill-gaps", "2", "--calendar", "hour", "--forecast", "2", "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let metrics = try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))
        let data = try XCTUnwrap(metrics["data"] as? [String: Any])
        XCTAssertEqual(data["gaps_filled"] as? Int, 2)
        XCTAssertEqual(data["rows"] as? Int, 96)
        XCTAssertEqual(data["input_features"] as? [String], ["PM10", "hour_sin", "hour_cos"])
        let forecast = try String(contentsOf: out.appendingPathComponent("forecast.csv"), encoding: .utf8)
        XCTAssertTrue(forecast.contains("2023-03-05 00:00"), forecast)
        XCTAssertTrue(forecast.contains("2023-03-05 01:00"), forecast)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Filled 2 missing value(s)"), "cleaning is reported")
    }

    func testDropoutOptionOverridesOrInsertsDropoutLayers() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 60)
        for (spec, expected) in [("lstm:4,dense:1", "lstm:4,dropout:0.3,dense:1"),
                                 ("lstm:4:seq,dropout:0.1,lstm:4,dense:1", "lstm:4:seq,dropout:0.3,lstm:4,dense:1")] {
            let out = dir.appendingPathComponent(UUID().uuidString)
            let r = try CLIRunner.run(["train", "--data", csv.path, "--lookback", "5", "--model", spec, "--dropout", "0.3",
                                       "--epochs", "1", "--out", out.path, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))["model_spec"] as? String, expected)
        }
    }

    func testBacktestWritesFoldsAndSummary() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try ForecastCLIFixtures.dailyCSV(in: dir, rows: 100)
        let out = dir.appendingPathComponent("bt")
        let r = try CLIRunner.run(["backtest", "--data", csv.path, "--lookback", "5", "--model", "lstm:3,dense:1", "--epochs", "1",
                                   "--start", "0.5", "--folds", "3", "--window", "sliding", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "(trained)").count - 1, 3, "one model per fold: \(r.stderr)")
        let folds = try String(contentsOf: out.appendingPathComponent("folds.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(folds.count, 1 + 3)
        XCTAssertTrue(folds[0].hasPrefix("fold,from,train_windows,test_windows,trained,rmse_model,rmse_persistence"), String(folds[0]))
        // 95 windows; the first 47 train; a sliding window keeps 47 training windows in every fold.
        XCTAssertTrue(folds.dropFirst().allSatisfy { $0.split(separator: ",")[2] == "47" }, folds.joined(separator: "\n"))
        let metrics = try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))
        XCTAssertNotNil((metrics["summary"] as? [String: Any])?["model"])
        for file in ["errors.svg", "predictions.svg", "report.html", "predictions.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }

        let once = try CLIRunner.run(["backtest", "--data", csv.path, "--lookback", "5", "--model", "lstm:3,dense:1", "--epochs", "1",
                                      "--folds", "2", "--no-refit", "--out", dir.appendingPathComponent("bt2").path])
        XCTAssertEqual(once.status, 0, once.stderr)
        XCTAssertEqual(once.stderr.components(separatedBy: "(trained)").count - 1, 1, "trained once: \(once.stderr)")
    }
}
