import Foundation

/// The Diebold–Mariano test of equal forecast accuracy, with the Harvey–Leybourne–
/// Newbold (1997) small-sample correction.
///
/// With loss differentials d_t = L(e1_t) − L(e2_t), mean d̄ and autocovariances γ_k
/// (divided by n), the long-run variance is γ_0 + 2 Σ_{k=1}^{h−1} w_k γ_k (rectangular
/// weights w_k = 1 as in Diebold–Mariano and HLN, or Bartlett/Newey–West weights
/// 1 − k/h), DM = d̄ / √(variance / n), and the corrected statistic
/// DM* = DM · √((n + 1 − 2h + h(h−1)/n) / n) is compared with Student's t with n − 1
/// degrees of freedom (two-sided). A negative statistic means forecast 1 has the lower loss.
public struct DieboldMariano: Equatable, Sendable {
    public enum Loss: Sendable { case squared, absolute }
    public enum Kernel: Sendable { case rectangular, bartlett }

    /// The corrected statistic DM*.
    public var statistic: Double
    /// Two-sided p-value from Student's t with n − 1 degrees of freedom.
    public var pValue: Double
    /// The uncorrected DM statistic.
    public var uncorrected: Double
    /// Pairs used.
    public var count: Int

    /// Tests forecast errors `errors1` against `errors2` (actual − forecast, same length).
    public init(errors1: [Double], errors2: [Double], horizon h: Int = 1, loss: Loss = .squared,
                kernel: Kernel = .rectangular) throws {
        guard errors1.count == errors2.count else { throw DieboldMarianoError.countMismatch }
        let l: (Double) -> Double = loss == .squared ? { $0 * $0 } : { abs($0) }
        let d = zip(errors1, errors2).map { l($0) - l($1) }
        let n = d.count
        guard h >= 1, n >= 2, n > h else { throw DieboldMarianoError.tooFewPairs(n) }
        let mean = d.reduce(0, +) / Double(n)
        func gamma(_ k: Int) -> Double {
            (k..<n).reduce(0) { $0 + (d[$1] - mean) * (d[$1 - k] - mean) } / Double(n)
        }
        var variance = gamma(0)
        for k in stride(from: 1, to: h, by: 1) {
            let w = kernel == .rectangular ? 1 : 1 - Double(k) / Double(h)
            variance += 2 * w * gamma(k)
        }
        guard variance > 0 else { throw DieboldMarianoError.nonPositiveVariance(variance) }
        let dn = Double(n), dh = Double(h)
        uncorrected = mean / (variance / dn).squareRoot()
        statistic = uncorrected * ((dn + 1 - 2 * dh + dh * (dh - 1) / dn) / dn).squareRoot()
        pValue = StudentT.twoSidedPValue(statistic, degreesOfFreedom: dn - 1)
        count = n
    }
}

/// Why the Diebold–Mariano test could not be computed.
public enum DieboldMarianoError: Error, CustomStringConvertible, Equatable {
    case countMismatch
    case tooFewPairs(Int)
    case nonPositiveVariance(Double)

    public var description: String {
        switch self {
        case .countMismatch: return "the two error series differ in length"
        case let .tooFewPairs(n): return "\(n) pairs are too few for this horizon"
        case let .nonPositiveVariance(v): return "the long-run variance of the loss differential is \(v), not positive"
        }
    }
}

/// Student's t distribution via the regularized incomplete beta function.
public enum StudentT {
    /// P(|T| ≥ |t|) for T ~ t(ν): I_{ν/(ν+t²)}(ν/2, 1/2).
    public static func twoSidedPValue(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        return regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// P(T ≤ t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let tail = twoSidedPValue(t, degreesOfFreedom: nu) / 2
        return t >= 0 ? 1 - tail : tail
    }

    /// I_x(a, b) by the continued fraction (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster.
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logGammas + logPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...10_000 {
            let dm = Double(m)
            // Even step.
            var num = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; f *= d * c
            // Odd step.
            num = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return f
    }
}
