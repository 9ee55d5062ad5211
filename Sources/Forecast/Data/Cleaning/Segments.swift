extension Cleaning {
    /// Maximal runs of rows in which every listed column has a value and, when a
    /// frequency is given, each time stamp is exactly one step after the previous one.
    /// Windows taken inside one segment never cross a gap. Runs shorter than
    /// `minLength` are left out.
    public static func segments(_ series: TimeSeries, columns: [String], frequency: Frequency? = nil,
                                minLength: Int = 1) throws -> [Range<Int>] {
        let cols = try columns.map { name -> [Double] in
            guard let c = series.column(name) else { throw CleaningError.missingColumn(name) }
            return c
        }
        var out: [Range<Int>] = []
        var start: Int?
        func close(_ end: Int) {
            if let s = start, end - s >= minLength { out.append(s..<end) }
            start = nil
        }
        for i in 0..<series.count {
            let complete = cols.allSatisfy { !$0[i].isNaN }
            if !complete { close(i); continue }
            if let f = frequency, start != nil, f.next(after: series.timestamps[i - 1]) != series.timestamps[i] { close(i) }
            if start == nil { start = i }
        }
        close(series.count)
        return out
    }
}
