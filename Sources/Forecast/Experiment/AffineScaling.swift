/// A fitted per-column scaling `scaled = offset + factor · x`, the form every scaler here
/// reduces to; stored in model files so new data is scaled exactly as the training data.
public struct AffineScaling: Codable, Equatable, Sendable {
    public var column: String
    public var offset: Double
    public var factor: Double

    /// Reads the affine map off a fitted scaler (a constant column keeps factor 1).
    public init(column: String, from scaler: some FeatureScaler) {
        self.column = column
        offset = scaler.transform(0)
        let f = scaler.transform(1) - offset
        factor = f == 0 || !f.isFinite ? 1 : f
        if !offset.isFinite { offset = 0 }
    }

    public init(column: String, offset: Double, factor: Double) {
        self.column = column
        self.offset = offset
        self.factor = factor
    }

    public func transform(_ x: Double) -> Double { offset + factor * x }
    public func inverse(_ y: Double) -> Double { (y - offset) / factor }
}
