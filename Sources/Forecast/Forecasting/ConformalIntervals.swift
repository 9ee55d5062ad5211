/// Split conformal prediction intervals (Vovk et al. 2005; Lei et al. 2018): the absolute
/// errors of the point forecast on calibration windows the model was not fitted on give, per
/// forecast step k and level 1 − α, the radius q = the ⌈(n + 1)(1 − α)⌉-th smallest of the n
/// errors. Then [ŷ − q, ŷ + q] covers a new value with probability at least 1 − α when the
/// errors are exchangeable. The radius is infinite when n is too small for the level.
///
/// Locally adaptive (normalised) variant: errors divided by a per-window scale (how much the
/// series moved recently) are calibrated instead, and each interval's radius is multiplied
/// back by its own window's scale, so intervals widen in volatile stretches and narrow in
/// calm ones (Papadopoulos et al. 2008; Lei et al. 2018, §5.2).
public struct ConformalIntervals: Equatable, Sendable {
    /// Nominal levels, e.g. [0.8, 0.95].
    public var levels: [Double]
    /// `radii[l][k]`: the half-width at `levels[l]` for step k.
    public var radii: [[Double]]
    /// Calibration errors used per step.
    public var counts: [Int]

    /// Calibrates from `errors[k]`, the actual − predicted values at step k (NaN skipped).
    public init(errors: [[Double]], levels: [Double] = [0.8, 0.95]) {
        self.levels = levels
        let sorted = errors.map { $0.filter(\.isFinite).map(abs).sorted() }
        counts = sorted.map(\.count)
        radii = levels.map { level in sorted.map { ConformalIntervals.radius($0, level: level) } }
    }

    /// The ⌈(n + 1)·level⌉-th smallest of `sortedAbsoluteErrors` (infinite past the largest).
    public static func radius(_ sortedAbsoluteErrors: [Double], level: Double) -> Double {
        let n = sortedAbsoluteErrors.count
        let rank = Int((Double(n + 1) * level).rounded(.up))
        guard n > 0, rank <= n else { return .infinity }
        return sortedAbsoluteErrors[max(rank, 1) - 1]
    }

    /// The fewest calibration errors for which `radius` is finite at `level`:
    /// the smallest n with ⌈(n + 1)·level⌉ ≤ n (4 at 80 %, 19 at 95 %).
    public static func minimumCalibration(level: Double) -> Int {
        var n = 1
        while Int((Double(n + 1) * level).rounded(.up)) > n && n < 1_000_000 { n += 1 }
        return n
    }

    /// The radius for step k (0-based); steps past the calibrated ones use the last.
    public func radius(level l: Int, step k: Int) -> Double {
        radii[l].isEmpty ? .infinity : radii[l][min(k, radii[l].count - 1)]
    }

    /// Lower and upper bounds around `paths[window][step]` at level index `l`; with `scales`
    /// (one per window, for radii calibrated on scaled errors) each radius is multiplied by
    /// its window's scale.
    public func bounds(_ paths: [[Double]], scales: [Double]? = nil, level l: Int) -> (lower: [[Double]], upper: [[Double]]) {
        var lower = paths, upper = paths
        for w in paths.indices {
            let scale = scales?[w] ?? 1
            for k in paths[w].indices {
                let r = radius(level: l, step: k) * scale
                lower[w][k] = paths[w][k] - r
                upper[w][k] = paths[w][k] + r
            }
        }
        return (lower, upper)
    }

    /// A window's scale for the adaptive variant: the mean absolute step-to-step change of
    /// its history, never below `floor` (NaN pairs skipped; `floor` when none are left).
    public static func localScale(_ history: [Double], floor: Double) -> Double {
        let changes = zip(history, history.dropFirst()).map { abs($1 - $0) }.filter(\.isFinite)
        guard !changes.isEmpty else { return floor }
        return max(changes.reduce(0, +) / Double(changes.count), floor)
    }
}

/// How well intervals at one nominal level did on actual values.
public struct IntervalMetrics: Equatable, Sendable {
    public var level: Double
    /// Share of actual values inside [lower, upper], 0…1.
    public var coverage: Double
    public var meanWidth: Double
    /// Mean pinball (quantile) loss of the two bounds as the (1 − level)/2 and (1 + level)/2
    /// quantiles.
    public var pinball: Double
    public var count: Int

    public init(level: Double, actual: [Double], lower: [Double], upper: [Double]) {
        self.level = level
        var inside = 0, width = 0.0, loss = 0.0, n = 0
        let lowQ = (1 - level) / 2, highQ = (1 + level) / 2
        for i in actual.indices where actual[i].isFinite && lower[i].isFinite && upper[i].isFinite {
            n += 1
            if actual[i] >= lower[i] && actual[i] <= upper[i] { inside += 1 }
            width += upper[i] - lower[i]
            loss += (IntervalMetrics.pinball(actual[i], lower[i], quantile: lowQ) + IntervalMetrics.pinball(actual[i], upper[i], quantile: highQ)) / 2
        }
        count = n
        coverage = n > 0 ? Double(inside) / Double(n) : .nan
        meanWidth = n > 0 ? width / Double(n) : .nan
        pinball = n > 0 ? loss / Double(n) : .nan
    }

    /// ρ_τ(y − q) = max(τ (y − q), (τ − 1)(y − q)).
    public static func pinball(_ actual: Double, _ predicted: Double, quantile tau: Double) -> Double {
        let u = actual - predicted
        return max(tau * u, (tau - 1) * u)
    }
}
