import XCTest
import Recurrent
@testable import Forecast

/// Gaussian draws for generated series with known structure.
struct NoiseSource {
    var rng: SeededGenerator
    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }
    mutating func normal() -> Double {
        let u1 = max(Double(rng.nextUniform()), 1e-12), u2 = Double(rng.nextUniform())
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// Daily series (plain steps) with named columns.
func generatedSeries(_ columns: [(String, [Double])]) -> TimeSeries {
    let n = columns[0].1.count
    let start = dt(2020, 1, 1)
    return TimeSeries(timestamps: (0..<n).map { start.adding(days: $0) }, columns: columns.map { (name: $0.0, values: $0.1) })
}

/// Test RMSE of `linear_ar` and `linear_arx` on prepared data (no network needed).
func linearRMSEs(_ data: PreparedData) throws -> (ar: Double, arx: Double) {
    let train = Array(data.trainIndices), test = Array(data.testIndices)
    let ar = try LinearAutoregression(inputs: train.map { data.levelHistory($0) }, targets: train.map { data.actualLevels($0) })
    let arx = try XCTUnwrap(data.linearARX())
    let actual = test.flatMap { data.actualLevels($0) }
    return (Metrics.rmse(actual: actual, predicted: test.flatMap { ar.predict(data.levelHistory($0)) }),
            Metrics.rmse(actual: actual, predicted: test.flatMap { arx.predict(data.arxInputs($0)) }))
}

final class CovariateTests: XCTestCase {
    /// y_t = 0.3 y_{t−1} + 2 x_{t−3} + ε: the lagged covariate carries most of the signal.
    func testARXBeatsARWhenTheTargetIsDrivenByALaggedCovariate() throws {
        var noise = NoiseSource(seed: 7)
        let n = 1200
        var x = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
        for t in 0..<n {
            x[t] = (t > 0 ? 0.5 * x[t - 1] : 0) + noise.normal()
            y[t] = (t > 0 ? 0.3 * y[t - 1] : 0) + (t >= 3 ? 2 * x[t - 3] : 0) + 0.3 * noise.normal()
        }
        var setup = ExperimentSetup(target: "y", lookback: 5, model: "lstm:2,dense:1")
        setup.features = ["x"]
        setup.frequency = .daily
        let data = try PreparedData(series: generatedSeries([("y", y), ("x", x)]), setup: setup)
        let (ar, arx) = try linearRMSEs(data)
        XCTAssertLessThan(arx, 0.5 * ar, "the ARX sees x_{t−3}; the AR does not (AR \(ar), ARX \(arx))")
        XCTAssertEqual(arx, 0.3, accuracy: 0.06, "the ARX error is the noise level")
    }

    /// y_t = 2 z_t + ε with z i.i.d.: only the value at the target step helps.
    func testFutureKnownCovariateIsFedForTheTargetStep() throws {
        var noise = NoiseSource(seed: 11)
        let n = 1000
        let z = (0..<n).map { _ in noise.normal() }
        let y = z.map { 2 * $0 + 0.1 * noise.normal() }
        let series = generatedSeries([("y", y), ("z", z)])
        var past = ExperimentSetup(target: "y", lookback: 4, model: "lstm:2,dense:1")
        past.features = ["z"]
        var future = ExperimentSetup(target: "y", lookback: 4, model: "lstm:2,dense:1")
        future.futureFeatures = ["z"]
        let pastData = try PreparedData(series: series, setup: past)
        let futureData = try PreparedData(series: series, setup: future)
        XCTAssertEqual(futureData.windows.featureNames, ["y", "z@next"])
        let shifted = futureData.inputSeries["z@next"]
        XCTAssertEqual(Array(shifted.prefix(n - 1)), Array(z.dropFirst()))
        XCTAssertTrue(shifted[n - 1].isNaN)
        var both = future
        both.features = ["z"]
        XCTAssertEqual(try PreparedData(series: series, setup: both).windows.featureNames, ["y", "z", "z@next"], "past and next values of one column")
        let withPast = try linearRMSEs(pastData).arx, withFuture = try linearRMSEs(futureData).arx
        XCTAssertGreaterThan(withPast, 1.5, "z up to t−1 says nothing about y_t")
        XCTAssertLessThan(withFuture, 0.15, "z_t known at the target step explains y_t")
    }

    func testMissingCovariateValuesAreSkippedOrCarriedAndReported() throws {
        let n = 200
        var x = (0..<n).map { sin(Double($0) / 5) }
        for t in stride(from: 20, to: 180, by: 40) { x[t] = .nan }
        let y = (0..<n).map { cos(Double($0) / 7) }
        var setup = ExperimentSetup(target: "y", lookback: 6, model: "lstm:2,dense:1")
        setup.features = ["x"]
        let skipped = try PreparedData(series: generatedSeries([("y", y), ("x", x)]), setup: setup)
        XCTAssertEqual(skipped.covariates.missing["x"], 4)
        XCTAssertEqual(skipped.covariates.windowsWithoutCovariates, n - 6)
        XCTAssertEqual(skipped.covariates.windowsWithCovariates, n - 6 - 4 * 7, "each missing x removes the 7 windows whose inputs hold it")
        XCTAssertTrue(skipped.covariates.notes.contains { $0.contains("28 of 194 windows left out") }, "\(skipped.covariates.notes)")

        setup.featureGaps = .carry
        let carried = try PreparedData(series: generatedSeries([("y", y), ("x", x)]), setup: setup)
        XCTAssertEqual(carried.windows.count, n - 6)
        XCTAssertEqual(carried.covariates.filled["x"], 4)
        XCTAssertEqual(carried.inputSeries["x"][20], x[19], "the last observed value, never a later one")
    }

    /// With the network on the linear ARX, a zero network output gives exactly the ARX forecast,
    /// and the training targets are what the ARX misses.
    func testNetworkOnTheLinearARXLearnsItsResidual() throws {
        var noise = NoiseSource(seed: 17)
        let n = 400
        let x = (0..<n).map { _ in noise.normal() }
        var y = [Double](repeating: 10, count: n)
        for t in 1..<n { y[t] = 10 + 0.5 * (y[t - 1] - 10) + 2 * x[t - 1] + x[t - 1] * x[t - 1] + 0.1 * noise.normal() }
        var setup = ExperimentSetup(target: "y", lookback: 3, model: "lstm:2,dense:1")
        setup.features = ["x"]
        setup.trainFraction = 0.7
        setup.validationFraction = 0.15
        let plain = try PreparedData(series: generatedSeries([("y", y), ("x", x)]), setup: setup)
        setup.onLinearARX = true
        let data = try PreparedData(series: generatedSeries([("y", y), ("x", x)]), setup: setup)
        let arx = try XCTUnwrap(data.linearARX())
        let offsets = try XCTUnwrap(data.linearOffsets)
        for (row, w) in data.trainIndices.enumerated() {
            XCTAssertEqual(Double(data.trainingWindows.targets.scalars[row]) + offsets[w], Double(plain.trainingWindows.targets.scalars[row]), accuracy: 1e-5)
        }
        for w in data.testIndices {
            XCTAssertEqual(data.levels(fromScaled: [0], window: w)[0], arx.predict(data.arxInputs(w))[0], accuracy: 1e-6)
        }
        setup.horizon = 2
        XCTAssertThrowsError(try setup.validate()) {
            XCTAssertEqual($0 as? ExperimentError, .setting(.linearARXNeedsOneStepLevels))
            XCTAssertTrue("\($0)".contains("use horizon 1 and transform none"), "library terms, no flags: \($0)")
        }
    }

    func testCovariateSettingsAreCheckedWithClearMessages() throws {
        var s = ExperimentSetup(target: "y", lookback: 3, model: "lstm:2,dense:1")
        s.futureFeatures = ["z"]
        s.horizon = 2
        XCTAssertThrowsError(try s.validate()) { XCTAssertEqual($0 as? ExperimentError, .setting(.futureFeaturesNeedOneStep)) }
        s.horizon = 1
        s.features = ["y"]
        XCTAssertThrowsError(try s.validate()) { XCTAssertTrue("\($0)".contains("cannot also be a feature"), "\($0)") }
        s.features = []
        // An unknown gap policy cannot be built in code any more; a stored set-up naming one is refused on reading.
        let stored = String(decoding: try JSONEncoder().encode(s), as: UTF8.self).replacingOccurrences(of: #""features":[]"#, with: #""features":[],"featureGaps":"zero""#)
        XCTAssertThrowsError(try JSONDecoder().decode(ExperimentSetup.self, from: Data(stored.utf8))) {
            XCTAssertTrue("\($0)".contains("expected skip or carry, got 'zero'"), "\($0)")
        }
    }

    func testExperimentReportsTheARXAndDieboldMarianoAgainstEachBaseline() throws {
        var noise = NoiseSource(seed: 3)
        let n = 300
        let z = (0..<n).map { _ in noise.normal() }
        let y = z.map { $0 + 0.1 * noise.normal() }
        var setup = ExperimentSetup(target: "y", lookback: 4, model: "lstm:3,dense:1")
        setup.futureFeatures = ["z"]
        setup.epochs = 2
        setup.trainFraction = 0.7
        setup.validationFraction = 0.15
        let r = try Experiment.run(series: generatedSeries([("y", y), ("z", z)]), setup: setup, progress: .none)
        let arx = try XCTUnwrap(r.method("linear_arx"))
        XCTAssertLessThan(arx.metrics.rmse, 0.2)
        XCTAssertEqual(r.bestBaseline?.name, "linear_arx")
        let comparisons = ModelComparison.all(r)
        XCTAssertEqual(Set(comparisons.map(\.baseline)), Set(r.methods.map(\.name).filter { $0 != "model" }))
        let object = try parsedJSON(ExperimentFiles.metricsObject(r, modelPath: nil))
        let dm = try XCTUnwrap(object["diebold_mariano"] as? [String: Any])
        let p = try XCTUnwrap((dm["linear_arx"] as? [String: Any])?["p_value"] as? Double)
        XCTAssertTrue((0...1).contains(p))
        XCTAssertThrowsError(try Experiment.forecastFuture(model: r.model, data: PreparedData(series: generatedSeries([("y", y), ("z", z)]), setup: setup), steps: 2)) {
            XCTAssertTrue("\($0)".contains("future values of z"), "\($0)")
        }
    }
}
