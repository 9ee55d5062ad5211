import Foundation

/// Loading every column a study needs: the target, covariates and the other series of
/// global architectures, from the data file and files joined to it by time stamp.
extension StudyData {
    /// Reads `url` and every file of `joining` (plain CSVs with a time column), cleans every
    /// column — hourly input on an hourly grid with gaps of up to 3 hours filled linearly and,
    /// for `daily`, daily means of days with at least 18 hours; daily input (every time stamp
    /// at midnight, `daily` only) on a daily grid with gaps of up to 3 days filled — and joins
    /// the joined files' columns on the data's time stamps (missing where a file has no row).
    /// - Parameter column: the target; nil takes the data's first value column.
    /// - Returns: all columns, the target's name, and notes on the cleaning.
    public static func load(_ url: URL, frequency: StudyTarget, column: String?, joining: [URL]) throws -> (series: TimeSeries, column: String, notes: [String]) {
        var (series, notes) = try cleaned(url, frequency: frequency)
        let target = column ?? series.names[0]
        guard series.column(target) != nil else {
            throw StudyError.invalid("\(url.path): no column '\(target)' (columns: \(series.names.joined(separator: ", ")))")
        }
        for other in joining {
            let (extra, extraNotes) = try cleaned(other, frequency: frequency)
            if let clash = extra.names.first(where: { series.column($0) != nil }) {
                throw StudyError.invalid("\(other.path): column '\(clash)' is also in \(url.lastPathComponent); join files whose columns differ")
            }
            var row: [LocalDateTime: Int] = [:]
            for (i, t) in extra.timestamps.enumerated() { row[t] = i }
            for (name, values) in zip(extra.names, extra.columns) {
                series.setColumn(name, series.timestamps.map { t in row[t].map { values[$0] } ?? .nan })
            }
            let matched = series.timestamps.filter { row[$0] != nil }.count
            notes += extraNotes.map { "\(other.lastPathComponent): \($0)" }
            notes.append("\(other.lastPathComponent): \(extra.names.joined(separator: ", ")) joined on \(matched) of \(series.count) time stamps")
        }
        return (series, target, notes)
    }

    /// One file on the study's grid, every value column cleaned.
    static func cleaned(_ url: URL, frequency: StudyTarget) throws -> (TimeSeries, [String]) {
        let raw = try GIOSReader.readPlainCSV(url)
        guard !raw.names.isEmpty else { throw StudyError.invalid("\(url.path): no value column") }
        func filled(_ s: TimeSeries) throws -> (TimeSeries, Int) {
            let r = try Cleaning.interpolateLinear(s, columns: s.names, maxGap: 3)
            return (r.series, r.filled)
        }
        if isDaily(raw.timestamps) {
            guard frequency == .daily else {
                throw SettingProblem.dailyDataForHourlyTarget(file: url.path)
            }
            let (regular, report) = try Cleaning.regularize(raw, frequency: .daily)
            let (out, count) = try filled(regular)
            return (out, ["\(raw.count) daily rows read; \(report.inserted) missing days inserted; \(count) values filled by linear interpolation (gaps ≤ 3 days)"])
        }
        let (snapped, moved) = Cleaning.snappedToHours(raw)
        let regular: TimeSeries, report: RegularizationReport
        do { (regular, report) = try Cleaning.regularize(snapped, frequency: .hourly) } catch let e as CleaningError {
            throw StudyError.invalid("\(url.path): \(e)")
        }
        let (hourly, count) = try filled(regular)
        var notes = ["\(raw.count) rows read; \(report.inserted) missing hours inserted; \(count) values filled by linear interpolation (gaps ≤ 3 h)"]
        if moved > 0 { notes.append("\(moved) time stamps within a minute of the hour (such as 07:59:59) put on it") }
        guard frequency == .daily else { return (hourly, notes) }
        let (daily, missing) = Cleaning.dailyMean(hourly, minimumHours: 18)
        notes.append("\(daily.count) days, \(missing) column-days without 18 hours of data left missing")
        return (daily, notes)
    }
}
