/// Which rows a scaler is fitted on.
public enum ScalingScope: Sendable {
    /// Only the training rows (the default): no information from later data leaks in.
    case trainingOnly
    /// All rows. This LEAKS the validation/test range into the scaling and makes
    /// evaluation optimistic; use only for exploration.
    case everything
}

/// A per-feature affine scaling that can be inverted.
public protocol FeatureScaler: Sendable {
    /// The scaled value.
    func transform(_ value: Double) -> Double
    /// The original-unit value of a scaled one.
    func inverse(_ scaled: Double) -> Double
}

extension FeatureScaler {
    /// Scales every value (NaN stays NaN).
    public func transform(_ values: [Double]) -> [Double] { values.map { transform($0) } }
    /// Inverts every value.
    public func inverse(_ values: [Double]) -> [Double] { values.map { inverse($0) } }
}

/// Maps [min, max] of the fitted data onto `range` (e.g. 0…1 or −1…1).
/// A constant feature maps to the lower end of the range.
public struct MinMaxScaler: FeatureScaler, Equatable {
    public var range: ClosedRange<Double>
    public var dataMin: Double
    public var dataMax: Double

    /// Fits on the finite values among `values[rows]` (all rows when nil).
    public init(fitting values: [Double], rows: Range<Int>? = nil, range: ClosedRange<Double> = 0...1) {
        let finite = values[rows ?? values.indices].filter { $0.isFinite }
        self.range = range
        dataMin = finite.min() ?? 0
        dataMax = finite.max() ?? 0
    }

    /// Fits on the training rows (`scope == .trainingOnly`) or on all rows (leaks).
    public init(fitting values: [Double], trainingRows: Range<Int>, scope: ScalingScope, range: ClosedRange<Double> = 0...1) {
        self.init(fitting: values, rows: scope == .trainingOnly ? trainingRows : nil, range: range)
    }

    public func transform(_ value: Double) -> Double {
        let span = dataMax - dataMin
        guard span > 0 else { return range.lowerBound }
        return range.lowerBound + (value - dataMin) / span * (range.upperBound - range.lowerBound)
    }

    public func inverse(_ scaled: Double) -> Double {
        let width = range.upperBound - range.lowerBound
        guard width > 0 else { return dataMin }
        return dataMin + (scaled - range.lowerBound) / width * (dataMax - dataMin)
    }
}

/// Subtracts the mean and divides by the (population) standard deviation of the fitted
/// data. A constant feature is only centred.
public struct StandardScaler: FeatureScaler, Equatable {
    public var mean: Double
    public var standardDeviation: Double

    /// Fits on the finite values among `values[rows]` (all rows when nil).
    public init(fitting values: [Double], rows: Range<Int>? = nil) {
        let finite = values[rows ?? values.indices].filter { $0.isFinite }
        let n = Double(max(finite.count, 1))
        mean = finite.reduce(0, +) / n
        let m = mean
        let variance = finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
        standardDeviation = variance > 0 ? variance.squareRoot() : 1
    }

    /// Fits on the training rows (`scope == .trainingOnly`) or on all rows (leaks).
    public init(fitting values: [Double], trainingRows: Range<Int>, scope: ScalingScope) {
        self.init(fitting: values, rows: scope == .trainingOnly ? trainingRows : nil)
    }

    public func transform(_ value: Double) -> Double { (value - mean) / standardDeviation }
    public func inverse(_ scaled: Double) -> Double { scaled * standardDeviation + mean }
}
