import Foundation

/// Reads GIOŚ air-quality data for one station / measuring position.
///
/// Three inputs are supported:
/// - the yearly `.xlsx` workbooks (e.g. `2021_PM10_1g.xlsx`): first sheet, header rows
///   labelled in column A (`Nr`, `Kod stacji`, `Wskaźnik`, `Czas uśredniania`,
///   `Jednostka`, `Kod stanowiska`; older years have only some of them), one column per
///   position, then one row per hour with the time in column A as text or an Excel serial;
/// - CSV exports of the same layout (`;` or `,`, UTF-8 or cp1250);
/// - plain `datetime,value` CSV files (see `readPlainCSV`).
///
/// Times are naive local wall-clock times, kept as written (no DST shifting, so no
/// duplicate is ever created); `24:00` becomes 00:00 of the next day.
public enum GIOSReader {
    /// How the time stamps of the file are labelled.
    public enum TimeConvention: Sendable {
        /// Keep the time stamps as written.
        case asWritten
        /// The file labels each hour by its end (GIOŚ archives: `01:00` is 00:00–01:00);
        /// shift back one hour so that each value is labelled by the hour's start.
        case hourEndingToStart
    }

    /// Reads the workbook at `url`; `station` is a station code (`MpKrakZloRog`,
    /// matched against `Kod stacji`, or as the prefix of a `Kod stanowiska` before `-`)
    /// or a full position code (`MpKrakZloRog-PM10-1g`). The column is named by the
    /// position code when the sheet has one, else by the station code.
    public static func readWorkbook(_ url: URL, station: String, convention: TimeConvention = .asWritten,
                                    duplicates: DuplicatePolicy = .error) throws -> TimeSeries {
        try series(from: try XLSXReader.firstSheet(url), station: station, convention: convention, duplicates: duplicates)
    }

    /// Reads a GIOŚ CSV export with the same layout as the workbook sheet.
    public static func readCSV(_ url: URL, station: String, convention: TimeConvention = .asWritten,
                               duplicates: DuplicatePolicy = .error) throws -> TimeSeries {
        try readCSV(bytes: try FileBytes.read(url), file: url.path, station: station, convention: convention, duplicates: duplicates)
    }

    /// Reads a GIOŚ CSV export already in memory; `file` names it in errors.
    public static func readCSV(bytes: [UInt8], file: String, station: String, convention: TimeConvention = .asWritten,
                               duplicates: DuplicatePolicy = .error) throws -> TimeSeries {
        let grid = SheetGrid.delimited(bytes: bytes, file: file, encoding: .automatic)
        return try series(from: grid, station: station, convention: convention, duplicates: duplicates)
    }

    /// Reads a plain two-column file such as `krakow-zloty-rog-pm10-1h.csv`
    /// (`datetime,PM10`); `valueColumn` nil takes the second column.
    public static func readPlainCSV(_ url: URL, valueColumn: String? = nil) throws -> TimeSeries {
        try CSVReader.read(url, options: CSVOptions(valueColumns: valueColumn.map { [$0] }))
    }

    /// Extracts one station's column from a GIOŚ-layout grid.
    public static func series(from grid: SheetGrid, station: String, convention: TimeConvention = .asWritten,
                              duplicates: DuplicatePolicy = .error) throws -> TimeSeries {
        let file = grid.file
        let rows = grid.rows.filter { !$0.cells.allSatisfy { $0 == .empty } }
        var labelled: [String: [SheetCell]] = [:]
        var firstData = rows.count
        for (k, row) in rows.enumerated() {
            if timestamp(row.cells.first ?? .empty) != nil { firstData = k; break }
            if case .text(let label)? = row.cells.first {
                labelled[normalized(label)] = row.cells
            }
        }
        let stations = labelled["kod stacji"], positions = labelled["kod stanowiska"]
        guard stations != nil || positions != nil else {
            throw DataReadError.missingHeader(file: file, expected: "row labelled 'Kod stacji' or 'Kod stanowiska' in column A")
        }
        let width = max(stations?.count ?? 0, positions?.count ?? 0)
        func text(_ cells: [SheetCell]?, _ i: Int) -> String? {
            guard let cells, i < cells.count, case .text(let s) = cells[i] else { return nil }
            return s.trimmingCharacters(in: .whitespaces)
        }
        var matches: [Int] = []
        for i in 1..<max(width, 1) {
            let p = text(positions, i), s = text(stations, i)
            if p == station { matches = [i]; break }
            if s == station || p?.hasPrefix(station + "-") == true { matches.append(i) }
        }
        let names = (1..<max(width, 1)).compactMap { text(positions, $0) ?? text(stations, $0) }
        guard !matches.isEmpty else { throw DataReadError.missingStation(file: file, code: station, available: names) }
        guard matches.count == 1 else {
            throw DataReadError.ambiguousStation(file: file, code: station,
                                                 matches: matches.map { text(positions, $0) ?? text(stations, $0) ?? "?" })
        }
        let col = matches[0]
        let name = text(positions, col) ?? text(stations, col) ?? station
        guard firstData < rows.count else { throw DataReadError.noDataRows(file: file) }

        var builder = SeriesBuilder(file: file, names: [name], duplicates: duplicates)
        for row in rows[firstData...] {
            let first = row.cells.first ?? .empty
            guard var time = timestamp(first) else {
                throw DataReadError.invalidDate(file: file, line: row.number, column: 1, text: describe(first))
            }
            if convention == .hourEndingToStart { time = time.adding(hours: -1) }
            let cell = col < row.cells.count ? row.cells[col] : .empty
            let value: Double
            switch cell {
            case .empty: value = .nan
            case .number(let v): value = v
            case .bool: throw DataReadError.invalidNumber(file: file, line: row.number, column: col + 1, text: describe(cell))
            case .text(let s):
                let bytes = Array(s.utf8)
                var parsed = NumberParser.parse(bytes, decimal: DecimalSeparator.comma.rawValue)
                if parsed == .invalid { parsed = NumberParser.parse(bytes, decimal: DecimalSeparator.point.rawValue) }
                switch parsed {
                case .value(let v): value = v
                case .missing: value = .nan
                case .invalid: throw DataReadError.invalidNumber(file: file, line: row.number, column: col + 1, text: s)
                }
            }
            try builder.append(time, [value], line: row.number)
        }
        return builder.series
    }

    private static func timestamp(_ cell: SheetCell) -> LocalDateTime? {
        switch cell {
        case .text(let s): return DateTimeParser.parse(Array(s.utf8))
        case .number(let v): return v >= 366 ? DateTimeParser.fromExcelSerial(v) : nil
        default: return nil
        }
    }

    private static func describe(_ cell: SheetCell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s): return s
        case .number(let v): return "\(v)"
        case .bool(let b): return "\(b)"
        }
    }

    private static func normalized(_ label: String) -> String {
        label.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
