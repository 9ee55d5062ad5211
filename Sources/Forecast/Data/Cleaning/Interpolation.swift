extension Cleaning {
    /// Runs of consecutive missing (NaN) values, as index ranges.
    public static func gaps(in values: [Double]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        for (i, v) in values.enumerated() {
            if v.isNaN { if start == nil { start = i } } else if let s = start { out.append(s..<i); start = nil }
        }
        if let s = start { out.append(s..<values.count) }
        return out
    }

    /// Fills interior gaps of at most `maxGap` missing values by straight lines between
    /// the neighbouring known values. Gaps at the start or end, and longer gaps, stay
    /// missing. Returns the values and how many were filled. Assumes a regular index.
    public static func interpolateLinear(_ values: [Double], maxGap: Int) -> (values: [Double], filled: Int) {
        var out = values, filled = 0
        for gap in gaps(in: values) where gap.count <= maxGap && gap.lowerBound > 0 && gap.upperBound < values.count {
            let a = values[gap.lowerBound - 1], b = values[gap.upperBound]
            let span = Double(gap.count + 1)
            for (k, i) in gap.enumerated() { out[i] = a + (b - a) * Double(k + 1) / span }
            filled += gap.count
        }
        return (out, filled)
    }

    /// `interpolateLinear` applied to one column of a series.
    public static func interpolateLinear(_ series: TimeSeries, column: String, maxGap: Int) throws -> (series: TimeSeries, filled: Int) {
        try interpolateLinear(series, columns: [column], maxGap: maxGap)
    }

    /// `interpolateLinear` applied to each of `columns` (one copy of the series for all).
    /// - Returns: the series and the number of values filled in all those columns.
    public static func interpolateLinear<C: Sequence<String>>(_ series: TimeSeries, columns: C, maxGap: Int) throws -> (series: TimeSeries, filled: Int) {
        var out = series, filled = 0
        for column in columns {
            guard let values = out.column(column) else { throw CleaningError.missingColumn(column) }
            let (v, n) = interpolateLinear(values, maxGap: maxGap)
            out.setColumn(column, v)
            filled += n
        }
        return (out, filled)
    }
}
