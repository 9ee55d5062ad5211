import ArgumentParser
import Foundation
import Forecast
import LabDemos

/// `--data/--format/--column/--station` and the cleaning options, shared by every command
/// that reads a series.
struct DataOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Data files (or an NBP archive folder / glob such as 'nbp/archiwum_tab_a_202*.csv').", valueName: "path"))
    var data: [String] = []

    @Option(help: "csv (a time column, then value columns), nbp (NBP table A archives), gios (GIOŚ .xlsx/.csv with --station), long (series,time,value rows of several series; pick them with --columns). Default: from the files.")
    var format: SeriesFormat?

    @Option(help: "Value column: a CSV header, or an NBP currency code (USD). Default: the first value column (NBP: USD).")
    var column: String?

    @Option(help: "GIOŚ station or position code, e.g. MpKrakZloRog or MpKrakZloRog-PM10-1g.")
    var station: String?

    @Option(help: "Keep rows from this date on (YYYY-MM-DD[ HH:MM]).")
    var from: String?

    @Option(help: "Keep rows up to this date (a date includes its whole day).")
    var to: String?

    @Option(help: "daily: hourly values → daily means; a day needs --min-hours values or is missing.")
    var resample: ResampleKind?

    @Option(parsing: .unconditional, help: "Hourly values a day needs for its daily mean.")
    var minHours = 18

    @Option(parsing: .unconditional, help: "Fill gaps of at most N missing steps by linear interpolation (longer gaps stay missing; windows never cross them).")
    var fillGaps = 0

    @Option(help: "Calendar: 15min/30min/…, hourly, daily, business-day, business-day-pl (Polish holidays), weekly, monthly[-end], quarterly[-end], yearly[-end], or steps (dates ignored). Default: inferred from the time stamps (NBP: business-day-pl).")
    var frequency: SeriesCalendar?

    @Option(help: "Unit of the values, for reports (default: PLN for NBP, µg/m³ for GIOŚ).")
    var unit: String?

    /// Choices that contradict each other, refused before anything is read.
    func validate() throws {
        if resample == .daily, let f = frequency, f != .frequency(.daily) {
            throw ValidationError("--resample daily makes a daily series; --frequency \(f) contradicts it (leave --frequency out)")
        }
        if !(1...24).contains(minHours) { throw ValidationError("--min-hours must be in 1…24, got \(minHours)") }
        if fillGaps < 0 { throw ValidationError("--fill-gaps must be ≥ 0, got \(fillGaps)") }
    }

    /// The source these options describe; unset options fall back to `stored` (a model's).
    func source(stored: SeriesSource? = nil, extraColumns: [String] = []) -> SeriesSource {
        var s = stored ?? SeriesSource()
        if !extraColumns.isEmpty { s.extraColumns = extraColumns }
        if let format { s.format = format }
        if let column { s.column = column }
        if let station { s.station = station }
        s.from = from
        s.to = to
        if let resample { s.resample = resample }
        if minHours != 18 || stored == nil { s.minimumHours = minHours }
        if fillGaps != 0 || stored == nil { s.fillGaps = fillGaps }
        if let frequency { s.frequency = frequency }
        return s
    }

    /// Reads and cleans the data; logs what cleaning did on stderr.
    func load(stored: SeriesSource? = nil, extraColumns: [String] = [], quiet: Bool) throws -> (LoadedSeries, SeriesSource) {
        let source = source(stored: stored, extraColumns: extraColumns)
        let loaded = try source.load(data)
        for n in loaded.notes { Console.log(n, quiet: quiet) }
        return (loaded, source)
    }

    /// The unit to report: --unit, else what the format implies.
    func resolvedUnit(_ loaded: LoadedSeries) -> String {
        if let unit { return unit }
        switch loaded.format {
        case .nbp: return "PLN"
        case .gios: return "µg/m³"
        case .csv, .long: return ""
        }
    }
}
