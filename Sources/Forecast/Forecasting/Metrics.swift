import Charts
/// Forecast accuracy in the units of the data. Pairs with a NaN are left out.
public struct ForecastMetrics: Equatable, Sendable {
    public var rmse: Double
    public var mae: Double
    /// Mean absolute percentage error in percent, over pairs with a non-zero actual.
    public var mape: Double
    /// Pairs left out of MAPE because the actual value is zero.
    public var mapeSkippedZeros: Int
    /// Symmetric MAPE in percent: mean of 200·|F−A| / (|A|+|F|); a pair with A = F = 0 counts 0.
    public var smape: Double
    /// 1 − SSE/SST.
    public var r2: Double
    /// MAE divided by the in-sample MAE of the seasonal naive forecast; NaN when no
    /// training values were given.
    public var mase: Double
    /// Pairs used.
    public var count: Int

    /// All metrics for `actual` against `predicted`; `training` and `seasonality` feed MASE.
    public init(actual: [Double], predicted: [Double], training: [Double] = [], seasonality: Int = 1) {
        let pairs = zip(actual, predicted).filter { !$0.0.isNaN && !$0.1.isNaN }
        let a = pairs.map { $0.0 }, p = pairs.map { $0.1 }
        rmse = Metrics.rmse(actual: a, predicted: p)
        mae = Metrics.mae(actual: a, predicted: p)
        (mape, mapeSkippedZeros) = Metrics.mape(actual: a, predicted: p)
        smape = Metrics.smape(actual: a, predicted: p)
        r2 = Metrics.r2(actual: a, predicted: p)
        mase = training.isEmpty ? .nan : Metrics.mase(actual: a, predicted: p, training: training, seasonality: seasonality)
        count = a.count
    }
}

/// The single metrics, over equal-length arrays of finite values.
public enum Metrics {
    public static func rmse(actual: [Double], predicted: [Double]) -> Double {
        guard !actual.isEmpty else { return .nan }
        return (zip(actual, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(actual.count)).squareRoot()
    }

    public static func mae(actual: [Double], predicted: [Double]) -> Double {
        guard !actual.isEmpty else { return .nan }
        return zip(actual, predicted).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(actual.count)
    }

    /// Percent; pairs whose actual is zero are skipped and counted in `skippedZeros`.
    public static func mape(actual: [Double], predicted: [Double]) -> (value: Double, skippedZeros: Int) {
        let used = zip(actual, predicted).filter { $0.0 != 0 }
        let skipped = actual.count - used.count
        guard !used.isEmpty else { return (.nan, skipped) }
        return (100 * used.reduce(0) { $0 + abs(($1.0 - $1.1) / $1.0) } / Double(used.count), skipped)
    }

    /// Percent, 0…200.
    public static func smape(actual: [Double], predicted: [Double]) -> Double {
        guard !actual.isEmpty else { return .nan }
        return 100 * zip(actual, predicted).reduce(0) { s, pair in
            let d = abs(pair.0) + abs(pair.1)
            return s + (d == 0 ? 0 : 2 * abs(pair.1 - pair.0) / d)
        } / Double(actual.count)
    }

    public static func r2(actual: [Double], predicted: [Double]) -> Double {
        guard !actual.isEmpty else { return .nan }
        let mean = actual.reduce(0, +) / Double(actual.count)
        let sse = zip(actual, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let sst = actual.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return sst == 0 ? .nan : 1 - sse / sst
    }

    /// MAE over the mean |y[t] − y[t−m]| of the training values (NaN-free pairs).
    public static func mase(actual: [Double], predicted: [Double], training: [Double], seasonality m: Int) -> Double {
        guard m > 0, training.count > m else { return .nan }
        let diffs = (m..<training.count).map { abs(training[$0] - training[$0 - m]) }.filter { !$0.isNaN }
        guard !diffs.isEmpty else { return .nan }
        let scale = diffs.reduce(0, +) / Double(diffs.count)
        return mae(actual: actual, predicted: predicted) / scale
    }
}
