import Foundation

/// Reads a "long" CSV of several series — one row per (series, time, value), the layout
/// NeuralForecast and Darts take — into one wide series with a column per series (in order
/// of first appearance). Times are the union of all series' times; a series without a row
/// at a time has a missing value there. Within a series, times must increase.
///
/// The header must name the columns `series`, `time` and `value` (any order, any case).
public enum LongCSVReader {
    public static func read(_ url: URL) throws -> TimeSeries {
        try read(bytes: try FileBytes.read(url), file: url.path)
    }

    public static func read(bytes: [UInt8], file: String) throws -> TimeSeries {
        let lines = ByteText.lines(bytes)
        guard let headerIndex = lines.firstIndex(where: { !ByteText.trimmed(Array($0.bytes)).isEmpty }) else {
            throw DataReadError.empty(file: file)
        }
        let delimiter = Delimiter.detect(lines[headerIndex].bytes).rawValue
        let header = ByteText.fields(lines[headerIndex].bytes, delimiter: delimiter)
            .map { String(decoding: ByteText.trimmed($0), as: UTF8.self).lowercased() }
        func index(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw DataReadError.missingColumn(file: file, line: lines[headerIndex].line, name: name, available: header)
            }
            return i
        }
        let (si, ti, vi) = (try index("series"), try index("time"), try index("value"))
        let needed = max(si, ti, vi) + 1
        let decimal = delimiter == Delimiter.comma.rawValue ? DecimalSeparator.point.rawValue : DecimalSeparator.comma.rawValue
        var order: [String] = []
        var points: [String: [(LocalDateTime, Double)]] = [:]
        for entry in lines[(headerIndex + 1)...] {
            let row = ByteText.Row(line: entry.line, fields: ByteText.fields(entry.bytes, delimiter: delimiter))
            if row.isBlank { continue }
            guard row.fields.count >= needed else {
                throw DataReadError.tooFewFields(file: file, line: row.line, expected: needed, found: row.fields.count)
            }
            let name = String(decoding: ByteText.trimmed(row.fields[si]), as: UTF8.self)
            guard !name.isEmpty else {
                throw DataReadError.invalidNumber(file: file, line: row.line, column: si + 1, text: "(empty series name)")
            }
            guard let time = DateTimeParser.parse(row.fields[ti]) else {
                throw DataReadError.invalidDate(file: file, line: row.line, column: ti + 1, text: String(decoding: row.fields[ti], as: UTF8.self))
            }
            let value: Double
            switch NumberParser.parse(row.fields[vi], decimal: decimal) {
            case .value(let v): value = v
            case .missing: value = .nan
            case .invalid: throw DataReadError.invalidNumber(file: file, line: row.line, column: vi + 1, text: String(decoding: row.fields[vi], as: UTF8.self))
            }
            if points[name] == nil { order.append(name); points[name] = [] }
            if let last = points[name]!.last?.0 {
                if time == last { throw DataReadError.duplicateTimestamp(file: file, line: row.line, timestamp: time) }
                if time < last { throw DataReadError.outOfOrder(file: file, line: row.line, previous: last, found: time) }
            }
            points[name]!.append((time, value))
        }
        guard !order.isEmpty else { throw DataReadError.noDataRows(file: file) }
        let times = Array(Set(points.values.flatMap { $0.map(\.0) })).sorted()
        let position = Dictionary(uniqueKeysWithValues: times.enumerated().map { ($1, $0) })
        let columns = order.map { name -> (name: String, values: [Double]) in
            var values = Array(repeating: Double.nan, count: times.count)
            for (t, v) in points[name]! { values[position[t]!] = v }
            return (name, values)
        }
        return TimeSeries(timestamps: times, columns: columns)
    }
}
