/// Simple forecasts from a window's target history (original units), each giving the
/// `horizon` values after the window.
public enum Baselines {
    /// Repeats the last value.
    public static func persistence(_ history: [Double], horizon: Int) -> [Double] {
        Array(repeating: history.last ?? .nan, count: horizon)
    }

    /// Repeats the last full season: step k (0-based) is `history[n − period + k mod period]`.
    /// NaN when the history is shorter than the period.
    public static func seasonalNaive(_ history: [Double], horizon: Int, period: Int) -> [Double] {
        let n = history.count
        guard period > 0, n >= period else { return Array(repeating: .nan, count: horizon) }
        return (0..<horizon).map { history[n - period + $0 % period] }
    }

    /// Repeats the mean of the last `k` values.
    public static func movingAverage(_ history: [Double], horizon: Int, k: Int) -> [Double] {
        guard k > 0, history.count >= k else { return Array(repeating: .nan, count: horizon) }
        let mean = history.suffix(k).reduce(0, +) / Double(k)
        return Array(repeating: mean, count: horizon)
    }

    /// The usual seasonal period of a frequency: 24 hourly, 7 daily, 5 business days.
    public static func inferredPeriod(_ frequency: Frequency) -> Int { frequency.seasonalPeriod }

    /// One forecast per history.
    public static func predict(_ histories: [[Double]], _ method: (_ history: [Double]) -> [Double]) -> [[Double]] {
        histories.map(method)
    }
}
