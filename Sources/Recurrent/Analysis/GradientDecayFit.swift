import RealModule
/// The exponential trend of gradient norms with distance: log‖g_k‖ ≈ a + b·k, fitted by
/// least squares, so each step back multiplies the norm by `perStep` = e^b on average.
///
/// `perStep` < 1 means vanishing gradients, > 1 exploding; `perStep`^100 is the factor
/// over 100 steps.
public struct GradientDecayFit: Sendable, Equatable {
    /// e^b: the average factor per step back.
    public var perStep: Double
    /// b, the slope of the natural log of the norm per step.
    public var slope: Double
    /// a, the fitted log-norm at distance 0.
    public var intercept: Double
    /// R² of the fit in log space (1 for an exact exponential; NaN with no spread).
    public var rSquared: Double
    /// How many points entered the fit (positive, finite norms only).
    public var points: Int

    /// Fits `norms[k]` (the norm k steps before the loss) against k.
    /// - Parameters:
    ///   - norms: norms by distance; zeros and non-finite values are left out (log undefined).
    ///   - distances: the range of k to use (default: all).
    /// - Returns: nil when fewer than two usable points remain.
    public static func fit(norms: [Double], distances: Range<Int>? = nil) -> GradientDecayFit? {
        let range = (distances ?? 0..<norms.count).clamped(to: 0..<norms.count)
        var xs: [Double] = [], ys: [Double] = []
        for k in range where norms[k].isFinite && norms[k] > 0 {
            xs.append(Double(k))
            ys.append(Double.log(norms[k]))
        }
        guard let line = LineFit(x: xs, y: ys) else { return nil }
        return GradientDecayFit(perStep: Double.exp(line.slope), slope: line.slope, intercept: line.intercept,
                                rSquared: line.rSquared, points: line.points)
    }

    /// `fit(norms:)` on single-precision norms.
    public static func fit(norms: [Float], distances: Range<Int>? = nil) -> GradientDecayFit? {
        fit(norms: norms.map(Double.init), distances: distances)
    }
}
