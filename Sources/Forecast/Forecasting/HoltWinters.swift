import Foundation

/// Exponential smoothing with additive errors (Holt–Winters), the classical baseline that
/// `linear_ar` is not: ETS(A, Ad, A) and its simpler members (no trend, no season), with
/// smoothing parameters fitted by least squares of the one-step errors on the training
/// rows and the member chosen by AIC.
///
/// One step: `ŷ_t = l + φ b + s_{t−m}`, `e = y_t − ŷ_t`, `l ← l + φ b + α e`,
/// `b ← φ b + β e`, `s_t = s_{t−m} + γ e`. Missing values (NaN) carry the state forward.
public struct HoltWinters: Equatable, Sendable {
    public var alpha: Double, beta: Double, gamma: Double, phi: Double
    public var trend: Bool, period: Int
    /// The model's name for reports, e.g. `ETS(A,Ad,A) m=12`.
    public var name: String { "ETS(A,\(trend ? "Ad" : "N"),\(period > 1 ? "A" : "N"))\(period > 1 ? " m=\(period)" : "")" }

    /// State after each row: level, trend, and the season of that row.
    public struct States: Sendable {
        public var level: [Double], slope: [Double], season: [Double]
    }

    /// Fits on `training` (NaN allowed), trying trend on/off and season on/off (season only when
    /// `period` > 1 and the training part holds at least three seasons).
    public static func fit(_ training: [Double], period: Int) -> HoltWinters? {
        let present = training.filter { !$0.isNaN }
        guard present.count >= 8 else { return nil }
        var best: (aic: Double, model: HoltWinters)?
        let seasons = period > 1 && training.count >= 3 * period ? [false, true] : [false]
        for seasonal in seasons {
            for trend in [false, true] {
                let m = seasonal ? period : 1
                guard let (model, sse) = fitParameters(training, trend: trend, period: m) else { continue }
                let k = 2 + (trend ? 2 : 0) + (seasonal ? 1 + m : 0)
                let n = Double(present.count)
                let aic = n * log(max(sse, 1e-300) / n) + 2 * Double(k)
                if best == nil || aic < best!.aic { best = (aic, model) }
            }
        }
        return best?.model
    }

    /// Coarse grid, then coordinate refinement with shrinking steps.
    private static func fitParameters(_ y: [Double], trend: Bool, period: Int) -> (HoltWinters, Double)? {
        var bestModel = HoltWinters(alpha: 0.5, beta: 0, gamma: 0, phi: 1, trend: trend, period: period)
        var bestSSE = Double.infinity
        let alphas = [0.05, 0.2, 0.5, 0.8, 0.99]
        let betas = trend ? [0.0, 0.02, 0.1] : [0.0]
        let gammas = period > 1 ? [0.0, 0.05, 0.2] : [0.0]
        let phis = trend ? [0.9, 0.98] : [1.0]
        for a in alphas { for b in betas { for g in gammas { for p in phis {
            let m = HoltWinters(alpha: a, beta: b * a, gamma: g * (1 - a), phi: p, trend: trend, period: period)
            let sse = m.oneStepSSE(y)
            if sse < bestSSE { bestSSE = sse; bestModel = m }
        } } } }
        guard bestSSE.isFinite else { return nil }
        var step = 0.1
        for _ in 0..<12 {
            var improved = false
            for coordinate in 0..<4 {
                if coordinate == 1 && !trend || coordinate == 2 && period <= 1 || coordinate == 3 && !trend { continue }
                for sign in [-1.0, 1.0] {
                    var m = bestModel
                    switch coordinate {
                    case 0: m.alpha = min(0.999, max(0.001, m.alpha + sign * step))
                    case 1: m.beta = min(m.alpha, max(0, m.beta + sign * step * 0.2))
                    case 2: m.gamma = min(1 - m.alpha, max(0, m.gamma + sign * step))
                    default: m.phi = min(0.995, max(0.8, m.phi + sign * step * 0.2))
                    }
                    m.beta = min(m.beta, m.alpha)
                    m.gamma = min(m.gamma, 1 - m.alpha)
                    let sse = m.oneStepSSE(y)
                    if sse < bestSSE { bestSSE = sse; bestModel = m; improved = true }
                }
            }
            if !improved { step /= 2 }
        }
        return (bestModel, bestSSE)
    }

    /// Sum of squared one-step errors over the rows after the first season.
    func oneStepSSE(_ y: [Double]) -> Double {
        var sse = 0.0
        _ = filter(y) { t, e in if t >= period { sse += e * e } }
        return sse
    }

    /// Runs the recursions over `y`; `error(t, e)` sees each one-step error.
    @discardableResult
    func filter(_ y: [Double], error: (Int, Double) -> Void = { _, _ in }) -> States {
        let n = y.count
        var states = States(level: [Double](repeating: .nan, count: n), slope: [Double](repeating: 0, count: n),
                            season: [Double](repeating: 0, count: n))
        guard let firstIndex = y.firstIndex(where: { !$0.isNaN }) else { return states }
        let m = period
        // Initial level: the mean of the first season; seasons: deviations from it.
        let firstSeason = y[firstIndex..<min(n, firstIndex + m)].filter { !$0.isNaN }
        var level = firstSeason.reduce(0, +) / Double(max(1, firstSeason.count))
        var slope = 0.0
        var season = [Double](repeating: 0, count: n)
        for t in 0..<n {
            let s = t >= m && m > 1 ? season[t - m] : (m > 1 && t < firstIndex + m && !y[t].isNaN ? y[t] - level : 0)
            let forecast = level + phi * slope + (t >= m ? s : 0)
            var e = 0.0
            if !y[t].isNaN {
                e = y[t] - forecast
                if t >= firstIndex + 1 { error(t, e) }
            }
            if t < m && m > 1 {
                // the first season only sets the seasonal indices
                season[t] = s
                states.level[t] = level; states.slope[t] = slope; states.season[t] = s
                continue
            }
            let newLevel = level + phi * slope + alpha * e
            slope = trend ? phi * slope + beta * e : 0
            level = newLevel
            season[t] = m > 1 ? s + gamma * e : 0
            states.level[t] = level; states.slope[t] = slope; states.season[t] = season[t]
        }
        return states
    }

    /// Forecasts `horizon` steps after row `origin` from the filtered states.
    func forecast(from origin: Int, horizon: Int, states: States) -> [Double] {
        var damp = 0.0, power = 1.0
        return (1...horizon).map { k in
            power *= phi
            damp += power
            let seasonal = period > 1 && origin + 1 - period >= 0 ? states.season[origin - period + 1 + (k - 1) % period] : 0
            return states.level[origin] + (trend ? damp * states.slope[origin] : 0) + seasonal
        }
    }
}
