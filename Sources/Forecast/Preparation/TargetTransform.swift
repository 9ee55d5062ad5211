import Foundation

/// Why a target transform could not be applied.
public enum TransformError: Error, CustomStringConvertible, Equatable {
    /// Log-returns need positive levels.
    case nonPositiveLevel(index: Int, value: Double)
    /// Predictions and previous levels differ in count.
    case countMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .nonPositiveLevel(i, v): return "log-returns need positive levels; value \(v) at index \(i)"
        case let .countMismatch(e, f): return "expected \(e) values, found \(f)"
        }
    }
}

/// A transform of the target levels that a model predicts instead of the levels.
///
/// `forward` returns one value per level, aligned with it (`out[t]` uses `x[t]` and
/// `x[t-1]`); `out[0]` is NaN for differencing and log-returns.
public enum TargetTransform: Equatable, Sendable {
    /// The levels themselves.
    case none
    /// `d[t] = x[t] − x[t−1]`.
    case difference
    /// `r[t] = ln(x[t] / x[t−1])`; levels must be positive.
    case logReturn

    /// The transformed series (NaN where a neighbour is missing).
    public func forward(_ levels: [Double]) throws -> [Double] {
        switch self {
        case .none: return levels
        case .difference:
            return levels.indices.map { $0 == 0 ? .nan : levels[$0] - levels[$0 - 1] }
        case .logReturn:
            for (i, v) in levels.enumerated() where !v.isNaN && v <= 0 { throw TransformError.nonPositiveLevel(index: i, value: v) }
            return levels.indices.map { $0 == 0 ? .nan : log(levels[$0] / levels[$0 - 1]) }
        }
    }

    /// The level at one step from the previous level and the predicted transformed value.
    public func level(previous: Double, predicted: Double) -> Double {
        switch self {
        case .none: return predicted
        case .difference: return previous + predicted
        case .logReturn: return previous * exp(predicted)
        }
    }

    /// One-step inversion: `levels[i] = level(previous: previousLevels[i], predicted: predictions[i])`.
    public func invertOneStep(_ predictions: [Double], previousLevels: [Double]) throws -> [Double] {
        guard predictions.count == previousLevels.count else {
            throw TransformError.countMismatch(expected: previousLevels.count, found: predictions.count)
        }
        return zip(previousLevels, predictions).map { level(previous: $0, predicted: $1) }
    }

    /// Multi-step inversion of a recursive path: step k is built on step k−1, starting
    /// from the last known level (cumulative sums of differences, products of returns).
    public func invertPath(_ path: [Double], lastLevel: Double) -> [Double] {
        var out: [Double] = []
        var current = lastLevel
        for p in path { current = level(previous: current, predicted: p); out.append(current) }
        return out
    }
}
