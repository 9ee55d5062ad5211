import Recurrent

/// Why windows or splits could not be made.
public enum PreparationError: Error, CustomStringConvertible, Equatable {
    case missingColumn(String)
    case invalidSpec(String)

    public var description: String {
        switch self {
        case let .missingColumn(n): return "no column named '\(n)'"
        case let .invalidSpec(s): return s
        }
    }
}

/// Shape of the windows cut from a series.
public struct WindowSpec: Equatable, Sendable {
    /// What a window's target holds.
    public enum Output: Equatable, Sendable {
        /// The `horizon` values after the window: `Y` is `[N, horizon]`.
        case path
        /// Only the value `horizon` steps after the window: `Y` is `[N, 1]`.
        case single
    }
    /// Input steps per window (`L`).
    public var lookback: Int
    /// Steps ahead (`h`).
    public var horizon: Int
    public var output: Output
    /// Rows between the starts of consecutive windows.
    public var stride: Int

    public init(lookback: Int, horizon: Int = 1, output: Output = .path, stride: Int = 1) {
        self.lookback = lookback; self.horizon = horizon; self.output = output; self.stride = stride
    }
}

/// Model-ready windows: `inputs` `[N, L, F]`, `targets` `[N, H]` (Float32), with the rows
/// and time stamps each window's targets come from.
public struct Windows: Sendable {
    /// `[N, lookback, F]`; feature 0 is the target column.
    public var inputs: Tensor
    /// `[N, H]`, `H = horizon` for `.path`, 1 for `.single`.
    public var targets: Tensor
    /// Names of the F input features.
    public var featureNames: [String]
    /// Series rows of each window's targets, `[N][H]`.
    public var targetRows: [[Int]]
    /// Time stamps of each window's targets, `[N][H]`.
    public var targetTimes: [[LocalDateTime]]
    /// Series row of each window's last input step (its "previous level").
    public var lastInputRows: [Int]

    /// Number of windows.
    public var count: Int { targetRows.count }

    /// The windows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Windows {
        Windows(inputs: inputs.gathering(indices), targets: targets.gathering(indices), featureNames: featureNames,
                targetRows: indices.map { targetRows[$0] }, targetTimes: indices.map { targetTimes[$0] },
                lastInputRows: indices.map { lastInputRows[$0] })
    }

    /// Feature 0 of each window's inputs (the target history), as Double.
    public var targetHistories: [[Double]] {
        let l = inputs.shape[1], f = inputs.shape[2]
        return (0..<count).map { n in (0..<l).map { Double(inputs.scalars[(n * l + $0) * f]) } }
    }

    /// The targets as Double rows, `[N][H]`.
    public var targetRowsValues: [[Double]] {
        let h = targets.shape[1]
        return (0..<count).map { n in (0..<h).map { Double(targets.scalars[n * h + $0]) } }
    }
}

/// Cuts windows from a series.
public enum Windowing {
    /// Windows over `series`: inputs are `target`, then `features`, then the calendar
    /// features of each input step; targets come from `target`. A window is taken only
    /// inside one segment (every input and target value present and, when `frequency` is
    /// given, consecutive time stamps exactly one step apart), so no window crosses a gap.
    /// The stride restarts at each segment's first row.
    public static func make(_ series: TimeSeries, target: String, features: [String] = [],
                            calendar: CalendarFeatures = [], spec: WindowSpec,
                            frequency: Frequency? = nil) throws -> Windows {
        guard spec.lookback > 0, spec.horizon > 0, spec.stride > 0 else {
            throw PreparationError.invalidSpec("lookback, horizon and stride must be positive: \(spec)")
        }
        let limit = LayerLimits.maxSequenceLength
        guard spec.lookback <= limit, spec.horizon <= limit, spec.stride <= limit else {
            throw PreparationError.invalidSpec("lookback, horizon and stride must be at most \(limit) steps: \(spec)")
        }
        let names = [target] + features
        let columns = try names.map { n -> [Double] in
            guard let c = series.column(n) else { throw PreparationError.missingColumn(n) }
            return c
        }
        let segs = try Cleaning.segments(series, columns: names, frequency: frequency)
        let f = names.count + calendar.names.count
        let h = spec.output == .path ? spec.horizon : 1
        var x: [Float] = [], y: [Float] = []
        var rows: [[Int]] = [], times: [[LocalDateTime]] = [], last: [Int] = []
        for seg in segs {
            var s = seg.lowerBound
            while s + spec.lookback + spec.horizon <= seg.upperBound {
                for r in s..<(s + spec.lookback) {
                    for c in columns { x.append(Float(c[r])) }
                    x += calendar.values(at: series.timestamps[r]).map(Float.init)
                }
                let end = s + spec.lookback + spec.horizon
                let targetRange = spec.output == .path ? (s + spec.lookback)..<end : (end - 1)..<end
                y += targetRange.map { Float(columns[0][$0]) }
                rows.append(Array(targetRange))
                times.append(targetRange.map { series.timestamps[$0] })
                last.append(s + spec.lookback - 1)
                s += spec.stride
            }
        }
        return Windows(inputs: Tensor(shape: [rows.count, spec.lookback, f], scalars: x),
                       targets: Tensor(shape: [rows.count, h], scalars: y),
                       featureNames: names + calendar.names, targetRows: rows, targetTimes: times, lastInputRows: last)
    }
}
