import Foundation

/// The augmented Dickey–Fuller test with a constant:
/// `Δy_t = α + β y_{t−1} + Σ_{i≤p} γ_i Δy_{t−i} + e_t`; a unit root (β = 0) is rejected when
/// the t statistic of β is below the 5 % critical value −2.86 (MacKinnon, large samples).
/// A trending series also fails to reject it, so "difference" covers both.
public enum UnitRootTest {
    /// 5 % critical value of the ADF t statistic with a constant.
    public static let criticalValue = -2.86

    /// The ADF t statistic of β, with `lags` augmentation terms (default: Schwert's
    /// ⌊12 (n/100)^¼⌋, at most n/10). nil when the series is too short or constant.
    public static func statistic(_ y: [Double], lags: Int? = nil) -> Double? {
        let n = y.count
        let p = lags ?? min(Int(12 * pow(Double(n) / 100, 0.25)), n / 10)
        let diffs = (1..<max(n, 1)).map { y[$0] - y[$0 - 1] }
        let rows = n - 1 - p
        let d = p + 2  // constant, y_{t−1}, p lagged differences
        guard p >= 0, rows > d + 2 else { return nil }
        var xtx = [Double](repeating: 0, count: d * d), xty = [Double](repeating: 0, count: d)
        var samples: [([Double], Double)] = []
        samples.reserveCapacity(rows)
        for t in (p + 1)..<n {
            // Δy_t = diffs[t − 1]; regressors: 1, y_{t−1}, Δy_{t−1} … Δy_{t−p}
            var x = [1.0, y[t - 1]]
            for i in 1...max(p, 1) where i <= p { x.append(diffs[t - 1 - i]) }
            let target = diffs[t - 1]
            for i in 0..<d {
                xty[i] += x[i] * target
                for j in 0...i { xtx[i * d + j] += x[i] * x[j] }
            }
            samples.append((x, target))
        }
        for i in 0..<d { for j in 0..<i { xtx[j * d + i] = xtx[i * d + j] } }
        guard let l = try? LinearAutoregression.cholesky(xtx, d) else { return nil }
        let beta = LinearAutoregression.solve(l, d, xty)
        var rss = 0.0
        for (x, target) in samples {
            let fit = zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 }
            rss += (target - fit) * (target - fit)
        }
        let sigma2 = rss / Double(rows - d)
        var unit = [Double](repeating: 0, count: d)
        unit[1] = 1
        let inverseDiagonal = LinearAutoregression.solve(l, d, unit)[1]  // [(XᵀX)⁻¹]₁₁
        guard sigma2 > 0, inverseDiagonal > 0 else { return nil }
        return beta[1] / (sigma2 * inverseDiagonal).squareRoot()
    }

    /// True when the test does not reject a unit root (or cannot run): difference the series.
    public static func hasUnitRoot(_ y: [Double]) -> Bool {
        guard let t = statistic(y) else { return false }
        return t > criticalValue
    }
}
