import XCTest
import Recurrent
@testable import Forecast

/// The AR highway default against the straight line it starts from.
final class DefaultModelTests: XCTestCase {
    /// An AR(2) series around a level that shifts upwards in the test part, out of the
    /// training range (min-max scaling then extrapolates).
    private func shiftedSeries() -> TimeSeries {
        var rng = SeededGenerator(seed: 21)
        var y: [Double] = [0, 0]
        for t in 2..<600 {
            let level = t > 480 ? 8.0 : 0.0
            let e = Double(rng.nextNormal())
            y.append(level + 0.6 * (y[t - 1] - level) + 0.2 * (y[t - 2] - level) + e)
        }
        let start = LocalDateTime(year: 2020, month: 1, day: 1)
        return TimeSeries(timestamps: (0..<600).map { start.adding(days: $0) }, name: "y", values: y)
    }

    private func setup(_ model: String) -> ExperimentSetup {
        var s = ExperimentSetup(target: "y", lookback: 8, model: model)
        s.frequency = .daily
        s.trainFraction = 0.7
        s.validationFraction = 0.15
        s.epochs = 6
        s.earlyStoppingPatience = 2
        return s
    }

    func testHighwayStartsAtLinearARAndDoesNotLoseToIt() throws {
        let r = try Experiment.run(series: shiftedSeries(), setup: setup(ForecastDefaults.model), progress: .none)
        let model = try XCTUnwrap(r.method("model")).metrics.rmse
        let linear = try XCTUnwrap(r.method("linear_ar")).metrics.rmse
        XCTAssertLessThan(model, linear * 1.05, "model \(model) vs linear AR \(linear)")
        // The plain LSTM with min-max scaling fitted on the training levels does much worse.
        let plain = try Experiment.run(series: shiftedSeries(), setup: setup("lstm:8,dense:1"), progress: .none)
        XCTAssertGreaterThan(try XCTUnwrap(plain.method("model")).metrics.rmse, model)
        XCTAssertNotNil(r.method("ets"))
        XCTAssertNotNil(r.method("ar_diff"))
    }

    func testEnsembleAveragesItsMembersAndRoundTrips() throws {
        var s = setup("ar,lstm:4,dense:1")
        s.ensemble = 2
        s.epochs = 2
        s.earlyStoppingPatience = nil  // (with it, members that never beat the AR start would all be that start)
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.safetensors")
        let r = try Experiment.run(series: shiftedSeries(), setup: s, progress: .none, checkpoint: url)
        XCTAssertTrue(r.model.layers.count == 1 && r.model.layers[0] is Ensemble)
        let members = (r.model.layers[0] as! Ensemble).members
        XCTAssertEqual(members.count, 2)
        let stored = try ForecastModelFile.load(from: url)
        XCTAssertEqual(stored.setup.ensemble, 2)
        let x = Tensor(shape: [1, 8, 1], scalars: (0..<8).map { Float($0) / 10 })
        let mean = (members[0].infer(x).scalars[0] + members[1].infer(x).scalars[0]) / 2
        XCTAssertEqual(try stored.model.predict(x).scalars[0], mean, accuracy: 1e-6)
        XCTAssertNotEqual(members[0].infer(x).scalars[0], members[1].infer(x).scalars[0])
    }
}
