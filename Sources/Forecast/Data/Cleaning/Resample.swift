extension Cleaning {
    /// Daily means of an hourly series, one row per calendar day from the first to the
    /// last day (00:00 time stamps). A day's mean is missing unless at least
    /// `minimumHours` of its hours have values (default 18 of 24). A `24:00` reading was
    /// already turned into 00:00 of the next day by the readers and counts for that day.
    /// Returns the series and the number of day values left missing.
    public static func dailyMean(_ series: TimeSeries, minimumHours: Int = 18) -> (series: TimeSeries, missingDays: Int) {
        guard let first = series.timestamps.first?.startOfDay, let last = series.timestamps.last?.startOfDay else {
            return (series, 0)
        }
        let dayCount = last.dayOrdinal - first.dayOrdinal + 1
        var sums = Array(repeating: Array(repeating: 0.0, count: dayCount), count: series.names.count)
        var counts = sums.map { $0.map { _ in 0 } }
        for (i, t) in series.timestamps.enumerated() {
            let d = t.dayOrdinal - first.dayOrdinal
            for c in series.columns.indices where !series.columns[c][i].isNaN {
                sums[c][d] += series.columns[c][i]; counts[c][d] += 1
            }
        }
        var missing = 0
        let columns = series.names.indices.map { c -> (String, [Double]) in
            (series.names[c], (0..<dayCount).map { d in
                if counts[c][d] >= minimumHours { return sums[c][d] / Double(counts[c][d]) }
                missing += 1
                return .nan
            })
        }
        let days = (0..<dayCount).map { first.adding(days: $0) }
        return (TimeSeries(timestamps: days, columns: columns), missing)
    }
}
