import Foundation
import XCTest

/// `rnn train` with covariates (`--features`, `--future-features`), intervals, and one model
/// on several series (`--columns`, `--format long`).
final class CovariateGlobalCLITests: XCTestCase {
    /// 300 days: `load` is known ahead (a schedule), `temp` is a past covariate, `y` follows `load`.
    static func covariateCSV(in dir: URL) throws -> URL {
        var lines = ["date,y,temp,load"]
        let start = DateComponents(year: 2022, month: 1, day: 1)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var date = utc.date(from: start)!
        for i in 0..<300 {
            let c = utc.dateComponents([.year, .month, .day], from: date)
            let load = Double((i * 7919) % 13) - 6, temp = 5 * sin(Double(i) / 9)
            let temp2 = i == 100 ? "" : String(format: "%.3f", temp)
            lines.append(String(format: "%04d-%02d-%02d,%.4f,%@,%.1f", c.year!, c.month!, c.day!, 20 + 2 * load + 0.1 * temp, temp2, load))
            date = utc.date(byAdding: .day, value: 1, to: date)!
        }
        return try ForecastCLIFixtures.write(lines, to: dir.appendingPathComponent("covariates.csv"))
    }

    func testCovariatesGiveAnARXBaselineIntervalsAndDieboldMariano() throws {
        let dir = try CLIRunner.tempDir()
        let csv = try Self.covariateCSV(in: dir)
        let out = dir.appendingPathComponent("out")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--column", "y", "--features", "temp", "--future-features", "load",
                                   "--lookback", "5", "--model", "lstm:3,dense:1", "--epochs", "2", "--train", "0.7", "--validation", "0.15",
                                   "--out", out.path, "--json", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try CLIRunner.json(r.stdout)
        let test = try XCTUnwrap(object["test"] as? [String: Any])
        let arx = try XCTUnwrap((test["linear_arx"] as? [String: Any])?["rmse"] as? Double)
        let ar = try XCTUnwrap((test["linear_ar"] as? [String: Any])?["rmse"] as? Double)
        XCTAssertLessThan(arx, 0.1 * ar, "the future-known load explains y")
        let data = try XCTUnwrap(object["data"] as? [String: Any])
        XCTAssertEqual(data["input_features"] as? [String], ["y", "temp", "load@next"])
        let notes = try XCTUnwrap(data["covariates"] as? [String])
        XCTAssertTrue(notes.contains { $0.contains("temp: 1 missing") }, "\(notes)")
        XCTAssertNotNil((object["diebold_mariano"] as? [String: Any])?["linear_arx"])
        let intervals = try XCTUnwrap(object["intervals"] as? [String: Any])
        XCTAssertNotNil((intervals["95"] as? [String: Any])?["coverage"] as? Double)
        let header = try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8).prefix { $0 != "\n" }
        XCTAssertEqual(String(header), "timestamp,actual,model,persistence,moving_average,linear_ar,ar_diff,ets,linear_arx,model_lower_80,model_upper_80,model_lower_95,model_upper_95")

        let linear = try CLIRunner.run(["train", "--data", csv.path, "--column", "y", "--features", "temp", "--on-linear-arx", "--intervals", "none",
                                        "--lookback", "5", "--model", "lstm:3,dense:1", "--epochs", "2", "--train", "0.7", "--validation", "0.15",
                                        "--out", dir.appendingPathComponent("linear").path, "--json", "--quiet"])
        XCTAssertEqual(linear.status, 0, linear.stderr)
        let linearObject = try CLIRunner.json(linear.stdout)
        XCTAssertNil(linearObject["intervals"], "--intervals none")
        let noForecast = try CLIRunner.run(["train", "--data", csv.path, "--column", "y", "--features", "temp", "--on-linear-arx", "--forecast", "3",
                                            "--lookback", "5", "--model", "lstm:3,dense:1", "--epochs", "1", "--out", dir.appendingPathComponent("nf").path, "--quiet"])
        XCTAssertEqual(noForecast.status, 1)
        XCTAssertEqual(noForecast.errorLines.count, 1, noForecast.stderr)
        XCTAssertTrue(noForecast.stderr.contains("--on-linear-arx"), noForecast.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("nf").path), "refused before any output")

        let bad = try CLIRunner.run(["train", "--data", csv.path, "--column", "y", "--features", "wind", "--lookback", "5",
                                     "--model", "lstm:3,dense:1", "--out", dir.appendingPathComponent("bad").path, "--quiet"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.errorLines.count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("covariates.csv") && bad.stderr.contains("'wind'"), bad.stderr)
    }

    func testOneModelOnSeveralSeriesFromWideAndLongFiles() throws {
        let dir = try CLIRunner.tempDir()
        var wide = ["date,a,b,c"], long = ["series,time,value"]
        for i in 0..<150 {
            let day = String(format: "2023-%02d-%02d", 1 + i / 28, 1 + i % 28)
            let v = [10 + sin(Double(i) / 5), 500 + 50 * cos(Double(i) / 7), 0.1 * sin(Double(i) / 3)]
            wide.append("\(day),\(v[0]),\(v[1]),\(v[2])")
            for (k, name) in ["a", "b", "c"].enumerated() { long.append("\(name),\(day),\(v[k])") }
        }
        let wideURL = try ForecastCLIFixtures.write(wide, to: dir.appendingPathComponent("wide.csv"))
        let longURL = try ForecastCLIFixtures.write(long, to: dir.appendingPathComponent("long.csv"))
        var figures: [[String: Any]] = []
        for (file, extra) in [(wideURL, [String]()), (longURL, ["--format", "long"])] {
            let out = dir.appendingPathComponent("global-\(file.lastPathComponent)")
            let r = try CLIRunner.run(["train", "--data", file.path] + extra + ["--columns", "a,b,c", "--lookback", "6", "--model", "gru:4,dense:1",
                                       "--epochs", "2", "--train", "0.7", "--validation", "0.15", "--frequency", "daily", "--out", out.path, "--json", "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let object = try CLIRunner.json(r.stdout)
            XCTAssertEqual(object["columns"] as? [String], ["a", "b", "c"])
            let series = try XCTUnwrap(object["series"] as? [String: Any])
            XCTAssertEqual(Set(series.keys), ["a", "b", "c"])
            let overall = try XCTUnwrap(object["overall"] as? [String: Any])
            XCTAssertNotNil((overall["model"] as? [String: Any])?["mean_mase"])
            for name in ["a", "b", "c"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name)/report.html").path))
                XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name)/model.safetensors").path))
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
            figures.append(overall)
        }
        let rmse = figures.map { (($0["model"] as? [String: Any])?["rmse"] as? Double) ?? .nan }
        XCTAssertEqual(rmse[0], rmse[1], accuracy: 1e-9, "the long file holds the same data: the same model")
    }
}
