import Recurrent

/// Lower and upper bounds at one nominal level, `[window][step]` (or one path for the
/// future forecast).
public struct IntervalBounds: Sendable, Equatable {
    public var level: Double
    public var lower: [[Double]]
    public var upper: [[Double]]
}

/// The model's prediction intervals: split conformal, calibrated on the validation part's
/// errors per forecast step (by default scaled by each window's recent mean absolute change:
/// see `ConformalIntervals`), evaluated on the test part.
public struct ForecastIntervals: Sendable {
    /// Radii per step for the test windows (steps 1…horizon).
    public var conformal: ConformalIntervals
    /// Test-part bounds, one per level.
    public var test: [IntervalBounds]
    /// Coverage, mean width and pinball loss on the test part, one per level.
    public var metrics: [IntervalMetrics]
    /// Bounds of the future forecast, one per level (a single path each).
    public var future: [IntervalBounds]?
    /// Validation windows the radii come from.
    public var calibrationWindows: Int
    /// `adaptive` (errors scaled by each window's recent mean absolute change) or `conformal`
    /// (plain absolute errors).
    public var method: IntervalMethod

    /// Calibrates on `data`'s validation windows and bounds the test paths and the future
    /// forecast. nil when there is no validation part.
    ///
    /// Radii for future steps past the horizon come from recursive forecasts of the
    /// validation windows as long as the future forecast (a one-step model without
    /// covariates); otherwise the last step's radius is reused.
    static func calibrate(forecaster: ModelForecaster, data: PreparedData, testPaths: [[Double]],
                          actual: [[Double]], future: FutureForecast?) throws -> ForecastIntervals? {
        let validation = Array(data.validationIndices)
        let setup = data.setup
        let method = setup.intervals ?? .adaptive
        guard !validation.isEmpty, method != .none else { return nil }
        // Per-window scales (all 1 for plain conformal), floored at a tenth of the median
        // calibration scale so that a flat window cannot give a zero-width interval.
        var scale: (Int) -> Double = { _ in 1 }
        var futureScale = 1.0
        if method == .adaptive {
            let raw = validation.map { ConformalIntervals.localScale(data.levelHistory($0), floor: 0) }.sorted()
            let median = raw.isEmpty ? 0 : raw[raw.count / 2]
            if median > 0 {
                let floor = 0.1 * median
                scale = { ConformalIntervals.localScale(data.levelHistory($0), floor: floor) }
                futureScale = ConformalIntervals.localScale(Array(data.levels.suffix(setup.lookback)), floor: floor)
            }
        }
        let windows = data.windows.subset(validation)
        let futureSteps = future?.values.count ?? 0
        let recursive = !setup.direct && setup.modelFeatures.isEmpty
        let steps = max(setup.horizon, recursive ? futureSteps : 0)
        let scaled = try forecaster.predictPaths(inputs: windows.inputs, firstTargetTimes: windows.targetTimes.map { $0.first }, steps: steps)
        var errors = Array(repeating: [Double](), count: steps)
        for (i, n) in validation.enumerated() {
            let path = data.levels(fromScaled: scaled[i], window: n)
            let last = data.windows.lastInputRows[n]
            let s = scale(n)
            for k in path.indices where last + 1 + k < data.levels.count {
                errors[k].append((data.levels[last + 1 + k] - path[k]) / s)
            }
        }
        let conformal = ConformalIntervals(errors: Array(errors.prefix(setup.horizon)))
        let testScales = data.testIndices.map(scale)
        let test = conformal.levels.indices.map { l -> IntervalBounds in
            let b = conformal.bounds(testPaths, scales: testScales, level: l)
            return IntervalBounds(level: conformal.levels[l], lower: b.lower, upper: b.upper)
        }
        let flatActual = actual.flatMap { $0 }
        let metrics = test.map { IntervalMetrics(level: $0.level, actual: flatActual, lower: $0.lower.flatMap { $0 }, upper: $0.upper.flatMap { $0 }) }
        var futureBounds: [IntervalBounds]?
        if let future {
            let long = ConformalIntervals(errors: errors)
            futureBounds = long.levels.indices.map { l in
                let b = long.bounds([future.values], scales: [futureScale], level: l)
                return IntervalBounds(level: long.levels[l], lower: b.lower, upper: b.upper)
            }
        }
        return ForecastIntervals(conformal: conformal, test: test, metrics: metrics, future: futureBounds,
                                 calibrationWindows: validation.count, method: method)
    }

    /// Percent label of a level: "80", "95".
    public static func label(_ level: Double) -> String { String(Int((level * 100).rounded())) }
}
