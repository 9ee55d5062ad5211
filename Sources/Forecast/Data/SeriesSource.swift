import Foundation

/// Where a series comes from and how it is cleaned: the `--data/--format/--column/--station`
/// options of the CLI turned into one `TimeSeries` on a known calendar.
///
/// Steps, in order: read (CSV, NBP archives or a GIOŚ workbook/CSV), keep one column, cut to
/// `from ..< to`, resample hourly → daily means (a day needs `minimumHours` readings), put the
/// rows on the frequency's regular grid (absent steps become missing values; NBP business days
/// are kept as published rows, see `rowsAreSteps`), and fill gaps of at most `fillGaps` steps
/// by linear interpolation. Stored in forecast model files so `evaluate`/`forecast` clean new
/// data the same way.
public struct SeriesSource: Codable, Equatable, Sendable {
    /// nil: from the files (`.xlsx` → gios, `archiwum_tab_a_*` → nbp).
    public var format: SeriesFormat?
    /// The value column (a CSV header, an NBP currency code such as `USD`); nil: the first
    /// value column (CSV) or the station's column (GIOŚ).
    public var column: String?
    /// GIOŚ station or position code (`MpKrakZloRog`, `MpKrakZloRog-PM10-1g`).
    public var station: String?
    /// Keep rows with `from <= time`; `to` is inclusive of its whole day when it is a date.
    public var from: String?
    public var to: String?
    /// `daily`: hourly → daily means.
    public var resample: ResampleKind?
    /// A day's mean needs at least this many hourly values.
    public var minimumHours: Int = 18
    /// Fill interior gaps of at most this many steps by linear interpolation (0: none).
    public var fillGaps: Int = 0
    /// A `Frequency` name (`30min`, `hourly`, `daily`, `business-day`, `business-day-pl`,
    /// `weekly`, `monthly`, `monthly-end`, `quarterly`, `yearly`, …) or `steps` (rows are plain
    /// steps, dates ignored); nil: inferred from the time stamps.
    public var frequency: SeriesCalendar?
    /// Columns kept beside the value column (covariates, or the other series of a global
    /// model): CSV headers or NBP currency codes. nil: none.
    public var extraColumns: [String]?

    public init(format: SeriesFormat? = nil, column: String? = nil, station: String? = nil) {
        self.format = format
        self.column = column
        self.station = station
    }

    /// Checks the options before any file is read.
    public func validate() throws {
        guard fillGaps >= 0 else { throw SettingProblem.negativeGapFill(fillGaps) }
        for (setting, text) in [(ForecastSetting.from, from), (.to, to)] {
            if let text, DateTimeParser.parse(Array(text.utf8)) == nil { throw SettingProblem.badDate(setting, text: text) }
        }
    }

    /// The format used for `paths`.
    public func resolvedFormat(_ paths: [String]) -> SeriesFormat {
        if let format { return format }
        if paths.contains(where: { $0.lowercased().hasSuffix(".xlsx") }) { return .gios }
        if paths.contains(where: { $0.contains("archiwum_tab_a") }) { return .nbp }
        if paths.count == 1 {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: paths[0], isDirectory: &isDir), isDir.boolValue,
               let names = try? FileManager.default.contentsOfDirectory(atPath: paths[0]),
               names.contains(where: { $0.hasPrefix("archiwum_tab_a") }) { return .nbp }
        }
        return station == nil ? .csv : .gios
    }

    /// Reads and cleans the files.
    public func load(_ paths: [String]) throws -> LoadedSeries {
        try validate()
        guard !paths.isEmpty else { throw SettingProblem.noDataFiles }
        let format = resolvedFormat(paths)
        var series = try read(paths, format: format)
        var notes: [String] = ["Read \(series.count) rows from \(paths.count == 1 ? paths[0] : "\(paths.count) files") (\(format))."]
        let name = series.names[0]

        if from != nil || to != nil {
            let lo = from.flatMap { DateTimeParser.parse(Array($0.utf8)) }
            var hi = to.flatMap { DateTimeParser.parse(Array($0.utf8)) }
            if let h = hi, h == h.startOfDay { hi = h.adding(days: 1) }  // a date includes its whole day
            series = series.between(from: lo, until: hi)
            notes.append("Kept \(series.count) rows \(from.map { "from \($0) " } ?? "")\(to.map { "to \($0)" } ?? "")".trimmingCharacters(in: .whitespaces) + ".")
        }
        guard series.count >= 2 else {
            throw SeriesSourceError.tooFewRows("\(paths.joined(separator: ", ")): \(series.count) row(s) left after reading\(from != nil || to != nil ? " and the date range" : ""); need at least 2")
        }
        let plainSteps = frequency == .steps
        var freq: Frequency?
        if let frequency { freq = frequency.frequency }
        else if resample == .daily { freq = nil }      // the daily means below set the calendar; the raw stamps need not be regular
        else {
            do { freq = try Self.guessFrequency(series.timestamps, format: format) } catch let e as CleaningError {
                throw SettingProblem.irregularTimeStamps(files: paths, reason: "\(e)")
            }
        }
        var daysMissing = 0
        if resample == .daily {
            let (daily, missing) = Cleaning.dailyMean(series, minimumHours: minimumHours)
            series = daily
            daysMissing = missing
            freq = .daily
            notes.append("Resampled to \(series.count) daily means; \(missing) day(s) with fewer than \(minimumHours) hourly values left missing.")
        }
        var inserted = 0
        let rowsAreSteps = plainSteps || freq == .businessDay || freq == .polishBusinessDay
        if let f = freq, !rowsAreSteps {
            do {
                let (regular, report) = try Cleaning.regularize(series, frequency: f)
                series = regular
                inserted = report.inserted
                if inserted > 0 { notes.append("Put on a regular \(f) grid: \(inserted) absent step(s) inserted as missing.") }
            } catch let e as CleaningError {
                throw SettingProblem.irregularAfterCleaning(files: paths, reason: "\(e)")
            }
        }
        var filled = 0
        if fillGaps > 0 {
            let r = try Cleaning.interpolateLinear(series, column: name, maxGap: fillGaps)
            series = r.series
            filled = r.filled
            notes.append("Filled \(filled) missing value(s) in gaps of at most \(fillGaps) step(s) by linear interpolation.")
        }
        let missing = series.missingCount(name)
        if missing > 0 { notes.append("\(missing) value(s) remain missing; windows never cross them.") }
        if plainSteps { notes.append("Plain steps: rows are consecutive steps, dates are not used for the calendar.") }
        else if rowsAreSteps { notes.append("Business-day data: published rows are consecutive steps (holidays are not gaps); forecast dates skip weekends\(freq == .polishBusinessDay ? " and Polish public holidays" : "").") }
        if let f = freq { notes.append("Calendar: \(f)\(frequency == nil ? " (inferred from the time stamps)" : ""); seasonal period \(f.seasonalPeriod).") }
        return LoadedSeries(series: series, frequency: freq, rowsAreSteps: rowsAreSteps, format: format,
                            insertedSteps: inserted, gapsFilled: filled, missingDays: daysMissing, notes: notes)
    }

    private func read(_ paths: [String], format: SeriesFormat) throws -> TimeSeries {
        let urls = paths.map { URL(fileURLWithPath: $0) }
        var extras: [String] = []
        for e in extraColumns ?? [] where !extras.contains(e) { extras.append(e) }
        let series: TimeSeries
        switch format {
        case .nbp:
            let code = column ?? "USD"
            var files: [URL] = []
            for p in paths { files += try NBPReader.files(matching: p) }
            series = try NBPReader.read(files: files, currencies: [code] + extras.filter { $0 != code })
        case .gios:
            guard let station else {
                throw SettingProblem.stationNeeded
            }
            var parts: [TimeSeries] = []
            for url in urls {
                parts.append(url.pathExtension.lowercased() == "xlsx"
                    ? try GIOSReader.readWorkbook(url, station: station)
                    : try GIOSReader.readCSV(url, station: station))
            }
            series = try Self.concatenate(parts, files: paths)
        case .csv, .long:
            var parts: [TimeSeries] = []
            for url in urls {
                let s = format == .long ? try LongCSVReader.read(url)
                    : try CSVReader.read(url, options: CSVOptions(valueColumns: column.map { c in [c] + extras.filter { $0 != c } }))
                if let column, s.column(column) == nil {
                    throw SeriesSourceError.invalidOption("\(url.path): no series or column '\(column)' (found: \(s.names.joined(separator: ", ")))")
                }
                guard let first = column ?? s.names.first(where: { !extras.contains($0) }) ?? s.names.first else {
                    throw SeriesSourceError.invalidOption("\(url.path): no value column after the time column")
                }
                for e in extras where s.column(e) == nil {
                    throw SeriesSourceError.invalidOption("\(url.path): no column '\(e)' (columns: \(s.names.joined(separator: ", ")))")
                }
                parts.append(s.selecting([first] + extras.filter { $0 != first }))
            }
            series = try Self.concatenate(parts, files: paths)
        }
        guard series.count > 0 else { throw DataReadError.noDataRows(file: paths.joined(separator: ", ")) }
        return series
    }

    /// Files in time order, one after the other; the same time stamp twice keeps the first.
    static func concatenate(_ parts: [TimeSeries], files: [String]) throws -> TimeSeries {
        guard parts.count > 1 else { return parts[0] }
        let names = parts[0].names
        var times: [LocalDateTime] = [], values: [[Double]] = names.map { _ in [] }
        for (k, p) in parts.enumerated() {
            guard p.names == names else {
                throw SeriesSourceError.invalidOption("\(files[k]): columns \(p.names.joined(separator: ", ")) differ from the first file's \(names.joined(separator: ", "))")
            }
            for (i, t) in p.timestamps.enumerated() {
                if let last = times.last {
                    if t == last { continue }
                    if t < last { throw SeriesSourceError.irregular("\(files[k]): starts at \(t), before the end of the previous file (\(last)); list the files in time order") }
                }
                times.append(t)
                for c in names.indices { values[c].append(p.columns[c][i]) }
            }
        }
        return TimeSeries(timestamps: times, columns: Array(zip(names, values)).map { (name: $0.0, values: $0.1) })
    }

    /// Polish business days for NBP, else the calendar the steps follow (`Frequency.infer`).
    static func guessFrequency(_ times: [LocalDateTime], format: SeriesFormat) throws -> Frequency? {
        if format == .nbp { return .polishBusinessDay }
        return try Frequency.infer(times)
    }
}

/// A cleaned series and what was done to it.
public struct LoadedSeries: Sendable {
    public var series: TimeSeries
    /// The calendar of the rows (nil: plain steps).
    public var frequency: Frequency?
    /// Rows are consecutive steps even where the calendar skips (NBP holidays).
    public var rowsAreSteps: Bool
    public var format: SeriesFormat
    /// Absent steps inserted as missing by regularizing.
    public var insertedSteps: Int
    /// Values filled by interpolation.
    public var gapsFilled: Int
    /// Days left missing by the daily resampling.
    public var missingDays: Int
    /// One sentence per cleaning step, for reports.
    public var notes: [String]

    /// The name of the value column.
    public var column: String { series.names[0] }
}

/// Why the data options could not give a series.
public enum SeriesSourceError: Error, CustomStringConvertible, Equatable {
    case invalidOption(String)
    case tooFewRows(String)
    case irregular(String)

    public var description: String {
        switch self {
        case .invalidOption(let s): return s
        case .tooFewRows(let s): return s
        case .irregular(let s): return s
        }
    }
}
