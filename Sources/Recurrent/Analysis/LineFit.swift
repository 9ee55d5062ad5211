/// Ordinary least squares of y on x: y ≈ intercept + slope·x, with the coefficient of
/// determination r² = s_xy² / (s_xx·s_yy). The gradient-decay fit and the benchmark sweep's
/// scaling lines both use it.
public struct LineFit: Equatable, Sendable {
    public var slope: Double
    public var intercept: Double
    /// 1 for a perfect line; when every x or every y is the same, r² is undefined and NaN.
    public var rSquared: Double
    public var points: Int

    /// Nil when fewer than two points are given or `x` and `y` differ in length.
    public init?(x: [Double], y: [Double]) {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        slope = sxx > 0 ? sxy / sxx : 0
        intercept = my - slope * mx
        rSquared = sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : .nan
        points = x.count
    }
}
