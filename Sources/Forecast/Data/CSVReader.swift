import Foundation

/// Field delimiter of a delimited text file.
public enum Delimiter: UInt8, Sendable {
    case comma = 0x2C, semicolon = 0x3B, tab = 0x09

    /// `;` or tab when the header line has one outside quotes, otherwise `,`.
    static func detect(_ header: ArraySlice<UInt8>) -> Delimiter {
        let semis = ByteText.count(Delimiter.semicolon.rawValue, in: header)
        let tabs = ByteText.count(Delimiter.tab.rawValue, in: header)
        if semis == 0 && tabs == 0 { return .comma }
        return semis >= tabs ? .semicolon : .tab
    }
}

/// Decimal separator of numbers in a text file.
public enum DecimalSeparator: UInt8, Sendable {
    case point = 0x2E, comma = 0x2C
}

/// What to do when a time stamp repeats.
public enum DuplicatePolicy: Sendable {
    /// Throw `DataReadError.duplicateTimestamp`.
    case error
    /// Keep the first row with that time stamp and drop the later ones.
    case keepFirst
}

/// Options of `CSVReader`.
public struct CSVOptions: Sendable {
    /// nil: detected from the header line (`;`, tab, else `,`).
    public var delimiter: Delimiter?
    /// nil: `.` when the delimiter is `,`, else `,` if any of the first 50 value cells
    /// contains a comma, else `.`.
    public var decimalSeparator: DecimalSeparator?
    /// Name of the date/time column; nil: the first column.
    public var timeColumn: String?
    /// Names of the value columns, in the order wanted; nil: every other non-empty header.
    public var valueColumns: [String]?
    /// Encoding of header names.
    public var encoding: TextEncoding
    /// What a repeated time stamp does.
    public var duplicates: DuplicatePolicy

    public init(delimiter: Delimiter? = nil, decimalSeparator: DecimalSeparator? = nil,
                timeColumn: String? = nil, valueColumns: [String]? = nil,
                encoding: TextEncoding = .automatic, duplicates: DuplicatePolicy = .error) {
        self.delimiter = delimiter; self.decimalSeparator = decimalSeparator
        self.timeColumn = timeColumn; self.valueColumns = valueColumns
        self.encoding = encoding; self.duplicates = duplicates
    }
}

/// Reads a delimited text file with a header line and a date/time column.
///
/// Blank lines are skipped. Rows must be in increasing time order. Empty cells (and
/// `NaN`, `NA`, `null`, `-`) are missing values; any other non-number is an error.
public enum CSVReader {
    /// Reads the file at `url`.
    public static func read(_ url: URL, options: CSVOptions = CSVOptions()) throws -> TimeSeries {
        try read(bytes: try FileBytes.read(url), file: url.path, options: options)
    }

    /// Reads file contents already in memory; `file` names them in errors.
    public static func read(bytes: [UInt8], file: String, options: CSVOptions = CSVOptions()) throws -> TimeSeries {
        let lines = ByteText.lines(bytes)
        guard let headerIndex = lines.firstIndex(where: { !ByteText.trimmed(Array($0.bytes)).isEmpty }) else {
            throw DataReadError.empty(file: file)
        }
        let delimiter = (options.delimiter ?? Delimiter.detect(lines[headerIndex].bytes)).rawValue
        let headerLine = lines[headerIndex].line
        let header = ByteText.fields(lines[headerIndex].bytes, delimiter: delimiter)
            .map { options.encoding.decode(ByteText.trimmed($0)) }
        func index(of name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw DataReadError.missingColumn(file: file, line: headerLine, name: name, available: header)
            }
            return i
        }
        let timeIndex = try options.timeColumn.map(index(of:)) ?? 0
        let valueNames = options.valueColumns
            ?? header.enumerated().filter { $0.offset != timeIndex && !$0.element.isEmpty }.map { $0.element }
        var seen = Set<String>()
        for name in [header[timeIndex]] + valueNames where !seen.insert(name).inserted {
            throw DataReadError.duplicateColumn(file: file, line: headerLine, name: name)
        }
        let valueIndices = try valueNames.map(index(of:))
        let rows = lines[(headerIndex + 1)...].map { ByteText.Row(line: $0.line, fields: ByteText.fields($0.bytes, delimiter: delimiter)) }
            .filter { !$0.isBlank }
        guard !rows.isEmpty else { throw DataReadError.noDataRows(file: file) }

        let decimal: UInt8
        if let d = options.decimalSeparator { decimal = d.rawValue }
        else if delimiter == Delimiter.comma.rawValue { decimal = DecimalSeparator.point.rawValue }
        else {
            let sample = rows.prefix(50).flatMap { r in valueIndices.map { r.field($0) } }
            decimal = sample.contains { $0.contains(DecimalSeparator.comma.rawValue) }
                ? DecimalSeparator.comma.rawValue : DecimalSeparator.point.rawValue
        }

        var builder = SeriesBuilder(file: file, names: valueNames, duplicates: options.duplicates)
        let needed = ([timeIndex] + valueIndices).max()! + 1
        for row in rows {
            guard row.fields.count >= needed else {
                throw DataReadError.tooFewFields(file: file, line: row.line, expected: needed, found: row.fields.count)
            }
            let timeText = row.fields[timeIndex]
            guard let time = DateTimeParser.parse(timeText) else {
                throw DataReadError.invalidDate(file: file, line: row.line, column: timeIndex + 1,
                                                text: options.encoding.decode(timeText))
            }
            var values: [Double] = []
            for c in valueIndices {
                switch NumberParser.parse(row.fields[c], decimal: decimal) {
                case .value(let v): values.append(v)
                case .missing: values.append(.nan)
                case .invalid:
                    throw DataReadError.invalidNumber(file: file, line: row.line, column: c + 1,
                                                      text: options.encoding.decode(row.fields[c]))
                }
            }
            try builder.append(time, values, line: row.line)
        }
        return builder.series
    }
}

/// Reads whole files as bytes, reporting failures as `DataReadError.unreadable`.
enum FileBytes {
    static func read(_ url: URL) throws -> [UInt8] {
        // A FIFO or device would block or read forever; a folder is not data.
        if let type = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)[.type] as? FileAttributeType,
           type != .typeRegular {
            let what = type == .typeDirectory ? "a folder" : type == .typeCharacterSpecial || type == .typeBlockSpecial ? "a device" : "a pipe or socket"
            throw DataReadError.unreadable(file: url.path, reason: "it is \(what), expected a regular file")
        }
        do { return [UInt8](try Data(contentsOf: url)) } catch {
            throw DataReadError.unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
    }
}

/// Collects rows in increasing time order, enforcing the duplicate policy.
struct SeriesBuilder {
    let file: String
    let names: [String]
    let duplicates: DuplicatePolicy
    var timestamps: [LocalDateTime] = []
    var columns: [[Double]]

    init(file: String, names: [String], duplicates: DuplicatePolicy) {
        self.file = file; self.names = names; self.duplicates = duplicates
        columns = Array(repeating: [], count: names.count)
    }

    mutating func append(_ time: LocalDateTime, _ values: [Double], line: Int) throws {
        if let last = timestamps.last {
            if time == last {
                if duplicates == .keepFirst { return }
                throw DataReadError.duplicateTimestamp(file: file, line: line, timestamp: time)
            }
            if time < last { throw DataReadError.outOfOrder(file: file, line: line, previous: last, found: time) }
        }
        timestamps.append(time)
        for i in values.indices { columns[i].append(values[i]) }
    }

    var series: TimeSeries { TimeSeries(timestamps: timestamps, columns: Array(zip(names, columns))) }
}
