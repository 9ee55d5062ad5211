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
        var times: [LocalDateTime] = []
        var columns = Array(repeating: [Double](), count: series.names.count)
        var t = first, k = 0
        while t <= last {
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
