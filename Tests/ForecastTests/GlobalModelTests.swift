import XCTest
import Recurrent
@testable import Forecast

final class GlobalModelTests: XCTestCase {
    /// Two series 10⁵ apart in scale: each is scaled by its own scaler, so the pooled training
    /// targets are all in [0, 1], and each series' forecasts come back in its own units.
    func testEachSeriesIsScaledOnItsOwnAndForecastsReturnToItsUnits() throws {
        let n = 240
        let big = (0..<n).map { 1000 + 100 * sin(Double($0) / 6) }
        let small = (0..<n).map { 0.01 * cos(Double($0) / 4) }
        var setup = ExperimentSetup(target: "big", lookback: 8, model: "gru:4,dense:1")
        setup.epochs = 3
        setup.trainFraction = 0.7
        setup.validationFraction = 0.15
        let series = generatedSeries([("big", big), ("small", small)])
        let g = try GlobalExperiment.run(series: series, columns: ["big", "small"], setup: setup, progress: .none)
        XCTAssertEqual(g.results.map(\.setup.target), ["big", "small"])
        XCTAssertEqual(g.results.map { $0.scalings[0].column }, ["big", "small"])
        for (r, raw) in zip(g.results, [big, small]) {
            for v in raw.prefix(20) {
                XCTAssertEqual(r.scalings[0].inverse(r.scalings[0].transform(v)), v, accuracy: 1e-9 * max(1, abs(v)), "round trip")
            }
        }
        let parts = try ["big", "small"].map { name -> PreparedData in
            var s = setup; s.target = name
            return try PreparedData(series: series.selecting([name]), setup: s)
        }
        let pooled = GlobalExperiment.pooled(parts.map(\.trainingWindows))
        XCTAssertEqual(pooled.count, g.trainingWindows)
        XCTAssertEqual(pooled.count, parts[0].trainingWindows.count + parts[1].trainingWindows.count)
        XCTAssertTrue(pooled.targets.scalars.allSatisfy { $0 >= -1e-6 && $0 <= 1 + 1e-6 }, "both series in the scaler's [0, 1]")
        let bigModel = try XCTUnwrap(g.results[0].method("model")).paths.flatMap { $0 }
        let smallModel = try XCTUnwrap(g.results[1].method("model")).paths.flatMap { $0 }
        XCTAssertTrue(bigModel.allSatisfy { $0 > 700 && $0 < 1300 }, "big's forecasts in big's units")
        XCTAssertTrue(smallModel.allSatisfy { abs($0) < 0.03 }, "small's forecasts in small's units")
        func weights(_ m: Sequential) -> [Float] { m.layers.flatMap { $0.parameters.flatMap(\.value.scalars) } }
        XCTAssertEqual(weights(g.results[0].model), weights(g.results[1].model), "one shared model")
        let overall = g.overall
        XCTAssertEqual(Set(overall.keys), Set(g.results[0].methods.map(\.name)))
        XCTAssertEqual(overall.values.map(\.wins).reduce(0, +), 2, "each series has one winner")
        XCTAssertEqual(overall["linear_ar"]!.rmseRelativeToLinearAR, 1, accuracy: 1e-12)
    }

    func testGlobalModelRefusesOneSeriesAndCovariates() {
        let series = generatedSeries([("a", (0..<50).map(Double.init)), ("b", (0..<50).map(Double.init))])
        var setup = ExperimentSetup(target: "a", lookback: 4, model: "lstm:2,dense:1")
        XCTAssertThrowsError(try GlobalExperiment.run(series: series, columns: ["a"], setup: setup, progress: .none))
        XCTAssertThrowsError(try GlobalExperiment.run(series: series, columns: ["a", "c"], setup: setup, progress: .none)) {
            XCTAssertTrue("\($0)".contains("no column 'c'"), "\($0)")
        }
        setup.features = ["b"]
        XCTAssertThrowsError(try GlobalExperiment.run(series: series, columns: ["a", "b"], setup: setup, progress: .none)) {
            XCTAssertTrue("\($0)".contains("no covariates"), "\($0)")
        }
    }

    func testLongCSVBecomesOneColumnPerSeries() throws {
        let text = "series,time,value\nA,2024-01-01,1\nA,2024-01-02,2\nB,2024-01-02,20\nB,2024-01-03,30\nA,2024-01-03,\n"
        let s = try LongCSVReader.read(bytes: Array(text.utf8), file: "long.csv")
        XCTAssertEqual(s.names, ["A", "B"])
        XCTAssertEqual(s.timestamps, [dt(2024, 1, 1), dt(2024, 1, 2), dt(2024, 1, 3)])
        XCTAssertEqual(s["A"].prefix(2), [1, 2])
        XCTAssertTrue(s["A"][2].isNaN)
        XCTAssertTrue(s["B"][0].isNaN, "B has no row on the 1st")
        XCTAssertEqual(s["B"].suffix(2), [20, 30])
        let backwards = "series,time,value\nA,2024-01-02,1\nA,2024-01-01,2\n"
        assertThrows(.outOfOrder(file: "long.csv", line: 3, previous: dt(2024, 1, 2), found: dt(2024, 1, 1))) {
            try LongCSVReader.read(bytes: Array(backwards.utf8), file: "long.csv")
        }
        assertThrows(.invalidNumber(file: "long.csv", line: 2, column: 3, text: "x1")) {
            try LongCSVReader.read(bytes: Array("series,time,value\nA,2024-01-01,x1\n".utf8), file: "long.csv")
        }
        XCTAssertThrowsError(try LongCSVReader.read(bytes: Array("id,time,value\nA,2024-01-01,1\n".utf8), file: "long.csv")) {
            XCTAssertTrue("\($0)".contains("series"), "\($0)")
        }
    }
}
