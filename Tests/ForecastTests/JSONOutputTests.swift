import XCTest
import Recurrent
@testable import Forecast

/// metrics.json and `--json` are written by one encoder with the old conventions: sorted keys,
/// no escaped `/`, null for non-finite numbers and absent values, Floats as their shortest decimal.
final class JSONOutputTests: XCTestCase {
    func testConventionsOfTheWriter() throws {
        struct Sample: Encodable {
            var path = "a/b"
            var loss = JSONNumber(Float(0.01))
            var undefined = JSONNumber(Double.nan)
            var z = 1
            var a = 2
        }
        let text = JSONOutput.string(Sample())
        XCTAssertTrue(text.contains(#""path" : "a/b""#), text)
        XCTAssertTrue(text.contains(#""loss" : 0.01"#), text)
        XCTAssertTrue(text.contains(#""undefined" : null"#), text)
        XCTAssertLessThan(try XCTUnwrap(text.range(of: #""a""#)).lowerBound, try XCTUnwrap(text.range(of: #""z""#)).lowerBound, "sorted keys")
    }

    func testDictionariesOfOlderCodeTakeTheSamePath() throws {
        let tree: [String: Any] = ["n": 3, "x": Double.infinity, "f": Float(0.1), "flag": true, "none": Optional<String>.none as Any,
                                   "list": [1, 2.5, "s"], "nested": ["kind": TransformKind.logReturn]]
        let parsed = try parsedJSON(JSONValue(any: tree))
        XCTAssertEqual(parsed["n"] as? Int, 3)
        XCTAssertTrue(parsed["x"] is NSNull)
        XCTAssertTrue(parsed["none"] is NSNull)
        XCTAssertEqual(parsed["f"] as? Double, 0.1)
        XCTAssertEqual((parsed["nested"] as? [String: Any])?["kind"] as? String, "log-return", "an Encodable leaf is written as it encodes")
        XCTAssertEqual(JSONValue(any: [String: Any]()), .object([:]))
        XCTAssertEqual(JSONValue(any: true), .bool(true))
    }

    func testExperimentMetricsKeepTheirKeysAndNulls() throws {
        var s = ExperimentSetup(target: "y", lookback: 4, model: "gru:3,dense:1")
        s.epochs = 2
        s.frequency = .daily
        let y = (0..<120).map { sin(Double($0) * 0.3) + 0.01 * Double($0) }
        let start = LocalDateTime(year: 2024, month: 1, day: 1)
        let series = TimeSeries(timestamps: (0..<120).map { start.adding(days: $0) }, name: "y", values: y)
        let r = try Experiment.run(series: series, setup: s, forecastSteps: 2, progress: .none)
        let json = try parsedJSON(ExperimentFiles.metricsObject(r, modelPath: nil, extra: ["note": "added", "unit": "PLN"]))
        for key in ["test", "epochs", "train_seconds", "model_path", "parameters", "unit", "target", "model_spec", "lookback", "horizon",
                    "transform", "frequency", "seasonal_period", "ensemble", "stop_reason", "best_baseline", "verdict", "data",
                    "diebold_mariano", "final_loss", "final_val_loss", "forecast", "note"] {
            XCTAssertNotNil(json[key], key)
        }
        XCTAssertTrue(json["model_path"] is NSNull, "an absent model path is null, as before")
        XCTAssertTrue(json["final_val_loss"] is NSNull, "no validation loss recorded")
        XCTAssertEqual(json["unit"] as? String, "PLN", "a caller's key replaces the built-in one")
        XCTAssertEqual(json["frequency"] as? String, "daily")
        XCTAssertEqual(json["transform"] as? String, "none")
        let test = try XCTUnwrap(json["test"] as? [String: Any])
        let model = try XCTUnwrap(test["model"] as? [String: Any])
        XCTAssertEqual(model["rmse"] as? Double, r.method("model")?.metrics.rmse)
        XCTAssertEqual((json["forecast"] as? [[String: Any]])?.count, 2)
        XCTAssertEqual((json["data"] as? [String: Any])?["rows"] as? Int, 120)
    }
}
