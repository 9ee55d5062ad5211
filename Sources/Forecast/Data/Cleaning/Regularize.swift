import Charts
import Foundation

/// What `Cleaning.regularize` did.
public struct RegularizationReport: Equatable, Sendable {
    /// Rows of the regular series (first to last time stamp, every step).
    public var steps: Int
    /// Rows that were in the input.
    public var present: Int
    /// Steps that were absent and were inserted with missing (NaN) values.
    public var inserted: Int
}

extension Cleaning {
    /// The most rows `regularize` produces: 10 million (about 60 bytes a row with one column,
    /// so 600 MB; 1,100 years of hours), or `RECURRENT_MAX_ROWS` when set.
    public static var maxRegularRows: Int {
        if let text = ProcessInfo.processInfo.environment["RECURRENT_MAX_ROWS"], let n = Int(text), n > 0 { return n }
        return 10_000_000
    }

    /// The series on a regular grid from its first to its last time stamp, with every
    /// absent step inserted as a row of NaN (so missing steps become explicit and counted).
    ///
    /// Times are naive: the non-existent DST spring hour counts as a missing hour.
    /// - Throws: `CleaningError.offGrid` for a time stamp off the grid,
    ///   `.notIncreasing` when time stamps are not strictly increasing.
    public static func regularize(_ series: TimeSeries, frequency: Frequency) throws -> (TimeSeries, RegularizationReport) {
        let ts = series.timestamps
        for (i, t) in ts.enumerated() {
            guard frequency.contains(t) else { throw CleaningError.offGrid(row: i, timestamp: t, frequency: frequency) }
            if i > 0 && ts[i - 1] >= t { throw CleaningError.notIncreasing(row: i) }
        }
        guard let first = ts.first, let last = ts.last else {
            return (series, RegularizationReport(steps: 0, present: 0, inserted: 0))
        }
        // Two stamps centuries apart would expand to a grid of many gigabytes: bound the rows
        // before allocating (an estimate from the first step), and again while filling.
        let limit = maxRegularRows
        let firstStep = max(1, frequency.next(after: first).secondsOrdinal - first.secondsOrdinal)
        let estimate = (last.secondsOrdinal - first.secondsOrdinal) / firstStep + 1
        if estimate > limit { throw CleaningError.tooManySteps(from: first, to: last, estimate: estimate, limit: limit) }
        var times: [LocalDateTime] = []
        var columns = Array(repeating: [Double](), count: series.names.count)
        var t = first, k = 0
        while t <= last {
            if times.count == limit { throw CleaningError.tooManySteps(from: first, to: last, estimate: limit + 1, limit: limit) }
            times.append(t)
            let present = k < ts.count && ts[k] == t
            for c in columns.indices { columns[c].append(present ? series.columns[c][k] : .nan) }
            if present { k += 1 }
            t = frequency.next(after: t)
        }
        // A row between grid points (a weekly row on another weekday, say) was never matched.
        if k < ts.count { throw CleaningError.offGrid(row: k, timestamp: ts[k], frequency: frequency) }
        let out = TimeSeries(timestamps: times, columns: Array(zip(series.names, columns)))
        return (out, RegularizationReport(steps: times.count, present: ts.count, inserted: times.count - ts.count))
    }
}
