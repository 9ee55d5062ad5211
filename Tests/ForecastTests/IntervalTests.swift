import XCTest
import Recurrent
@testable import Forecast

final class IntervalTests: XCTestCase {
    func testConformalRadiusIsTheFiniteSampleQuantile() {
        let errors = (1...19).map(Double.init)
        XCTAssertEqual(ConformalIntervals.radius(errors, level: 0.8), 16, "⌈20 · 0.8⌉ = 16th smallest")
        XCTAssertEqual(ConformalIntervals.radius(errors, level: 0.95), 19, "⌈20 · 0.95⌉ = 19th smallest")
        XCTAssertEqual(ConformalIntervals.radius(Array(errors.prefix(10)), level: 0.95), .infinity, "10 errors cannot give a 95 % radius")
        XCTAssertEqual(ConformalIntervals.minimumCalibration(level: 0.95), 19)
        XCTAssertEqual(ConformalIntervals.minimumCalibration(level: 0.8), 4)
        for level in [0.5, 0.8, 0.9, 0.95, 0.99] {
            let n = ConformalIntervals.minimumCalibration(level: level)
            XCTAssertTrue(ConformalIntervals.radius(Array(repeating: 1, count: n), level: level).isFinite, "\(level)")
            XCTAssertEqual(ConformalIntervals.radius(Array(repeating: 1, count: n - 1), level: level), .infinity, "\(level)")
        }
        let c = ConformalIntervals(errors: [[-3, 1, 2, -4], [5, .nan, -6, 7, 8]], levels: [0.5])
        XCTAssertEqual(c.counts, [4, 4], "NaN left out")
        XCTAssertEqual(c.radii[0], [3, 7], "|errors| sorted, ⌈5 · 0.5⌉ = 3rd")
        let b = c.bounds([[10, 20, 30]], level: 0)
        XCTAssertEqual(b.lower[0], [7, 13, 23], "steps past the calibrated ones reuse the last radius")
        XCTAssertEqual(b.upper[0], [13, 27, 37])
    }

    func testCoverageOnIIDNoiseIsNearNominal() {
        var noise = NoiseSource(seed: 5)
        let calibration = (0..<2000).map { _ in noise.normal() }
        let c = ConformalIntervals(errors: [calibration])
        let actual = (0..<20000).map { _ in noise.normal() }
        let prediction = [[Double]](repeating: [0], count: actual.count)
        for l in c.levels.indices {
            let b = c.bounds(prediction, level: l)
            let m = IntervalMetrics(level: c.levels[l], actual: actual, lower: b.lower.map { $0[0] }, upper: b.upper.map { $0[0] })
            XCTAssertEqual(m.coverage, c.levels[l], accuracy: 0.02, "level \(c.levels[l])")
            let z = c.levels[l] == 0.8 ? 1.2816 : 1.9600
            XCTAssertEqual(m.meanWidth, 2 * z, accuracy: 0.15, "the radius estimates the normal quantile")
        }
    }

    /// Errors whose spread is proportional to a known scale: calibrated on calm windows and
    /// tested on volatile ones, plain radii under-cover; radii of scaled errors do not.
    func testAdaptiveIntervalsFollowTheLocalScale() {
        var noise = NoiseSource(seed: 21)
        let calmScales = (0..<3000).map { _ in 0.5 + Double(noise.rng.nextUniform()) }
        let calibration = calmScales.map { $0 * noise.normal() }
        let plain = ConformalIntervals(errors: [calibration])
        let adaptive = ConformalIntervals(errors: [zip(calibration, calmScales).map { $0 / $1 }])
        let volatile = (0..<20000).map { _ in 2 + 2 * Double(noise.rng.nextUniform()) }
        let actual = volatile.map { $0 * noise.normal() }
        let zero = [[Double]](repeating: [0], count: actual.count)
        for l in plain.levels.indices {
            let p = plain.bounds(zero, level: l), a = adaptive.bounds(zero, scales: volatile, level: l)
            let plainCover = IntervalMetrics(level: plain.levels[l], actual: actual, lower: p.lower.map { $0[0] }, upper: p.upper.map { $0[0] }).coverage
            let adaptiveCover = IntervalMetrics(level: plain.levels[l], actual: actual, lower: a.lower.map { $0[0] }, upper: a.upper.map { $0[0] }).coverage
            XCTAssertLessThan(plainCover, plain.levels[l] - 0.2, "plain radii from calm errors are too narrow")
            XCTAssertEqual(adaptiveCover, plain.levels[l], accuracy: 0.02)
        }
        XCTAssertEqual(ConformalIntervals.localScale([1, 3, 2, .nan, 5], floor: 0), 1.5, "mean of |2|, |−1|; NaN pairs skipped")
        XCTAssertEqual(ConformalIntervals.localScale([4, 4, 4], floor: 0.25), 0.25, "a flat window gets the floor")
    }

    func testPinballLossAndIntervalMetrics() {
        XCTAssertEqual(IntervalMetrics.pinball(10, 8, quantile: 0.9), 1.8, accuracy: 1e-12)
        XCTAssertEqual(IntervalMetrics.pinball(8, 10, quantile: 0.9), 0.2, accuracy: 1e-12)
        let m = IntervalMetrics(level: 0.8, actual: [0, 5, .nan], lower: [-1, -1, 0], upper: [1, 1, 1])
        XCTAssertEqual(m.count, 2)
        XCTAssertEqual(m.coverage, 0.5)
        XCTAssertEqual(m.meanWidth, 2)
        // Actual 0: both bounds 1 away, losses 0.1·1 and 0.1·1 → 0.1; actual 5: lower 0.1·6, upper 0.9·4 → (0.6 + 3.6)/2.
        XCTAssertEqual(m.pinball, (0.1 + 2.1) / 2, accuracy: 1e-12)
    }

    func testExperimentWritesIntervalsCalibratedOnTheValidationPart() throws {
        var noise = NoiseSource(seed: 9)
        let n = 400
        var y = [Double](repeating: 0, count: n)
        for t in 1..<n { y[t] = 0.8 * y[t - 1] + noise.normal() }
        var setup = ExperimentSetup(target: "y", lookback: 5, model: "lstm:3,dense:1")
        setup.epochs = 2
        setup.trainFraction = 0.6
        setup.validationFraction = 0.2
        setup.frequency = .daily
        setup.intervals = .conformal
        let r = try Experiment.run(series: generatedSeries([("y", y)]), setup: setup, forecastSteps: 4, progress: .none)
        let i = try XCTUnwrap(r.intervals)
        XCTAssertEqual(i.calibrationWindows, r.data.validationWindows)
        let model = try XCTUnwrap(r.method("model"))
        for (l, b) in i.test.enumerated() {
            for w in r.actual.indices {
                XCTAssertEqual(b.upper[w][0] - model.paths[w][0], i.conformal.radii[l][0], accuracy: 1e-9)
                XCTAssertEqual(model.paths[w][0] - b.lower[w][0], i.conformal.radii[l][0], accuracy: 1e-9)
            }
        }
        XCTAssertLessThan(i.conformal.radii[0][0], i.conformal.radii[1][0], "95 % is wider than 80 %")
        let future = try XCTUnwrap(i.future)
        XCTAssertEqual(future[0].lower[0].count, 4)
        let predictions = ExperimentFiles.predictionsCSV(r).split(separator: "\n")
        XCTAssertTrue(predictions[0].hasSuffix(",model_lower_80,model_upper_80,model_lower_95,model_upper_95"), String(predictions[0]))
        XCTAssertEqual(ExperimentFiles.forecastCSV(r)?.split(separator: "\n").first, "timestamp,forecast,lower_80,upper_80,lower_95,upper_95")
        let json = try parsedJSON(ExperimentFiles.metricsObject(r, modelPath: nil))
        let eighty = try XCTUnwrap((json["intervals"] as? [String: Any])?["80"] as? [String: Any])
        XCTAssertEqual(eighty["coverage"] as? Double, i.metrics[0].coverage)
        XCTAssertTrue(ExperimentCharts.testPeriod(r).contains("80 % interval"), "the fan is drawn")
    }
}
