extension Cleaning {
    /// Time stamps less than a minute off the hour (GIOŚ exports write some hours as `07:59:59`)
    /// put on that hour; the series as it was when that would make two rows share a time.
    public static func snappedToHours(_ s: TimeSeries) -> (TimeSeries, Int) {
        var moved = 0
        let times = s.timestamps.map { t -> LocalDateTime in
            let off = t.secondsOrdinal % 3600
            guard off != 0, off < 60 || off > 3540 else { return t }
            moved += 1
            return t.adding(seconds: off < 60 ? -off : 3600 - off)
        }
        guard moved > 0, zip(times, times.dropFirst()).allSatisfy({ $0 < $1 }) else { return (s, 0) }
        return (TimeSeries(timestamps: times, columns: Array(zip(s.names, s.columns)).map { (name: $0.0, values: $0.1) }), moved)
    }
}
