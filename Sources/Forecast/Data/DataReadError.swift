/// Why a data file could not be read. Every case names the file and, where it applies,
/// the 1-based line (spreadsheet row) and column, and what was expected there.
public enum DataReadError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or listed.
    case unreadable(file: String, reason: String)
    /// The file has no header line.
    case empty(file: String)
    /// A header was found but no data rows follow it.
    case noDataRows(file: String)
    /// A column name appears more than once among the columns read.
    case duplicateColumn(file: String, line: Int, name: String)
    /// A column named in the request is not in the header.
    case missingColumn(file: String, line: Int, name: String, available: [String])
    /// A cell that must hold a number holds something else.
    case invalidNumber(file: String, line: Int, column: Int, text: String)
    /// A cell that must hold a date or date-time holds something else.
    case invalidDate(file: String, line: Int, column: Int, text: String)
    /// A time stamp is earlier than the one before it.
    case outOfOrder(file: String, line: Int, previous: LocalDateTime, found: LocalDateTime)
    /// A time stamp repeats the one before it.
    case duplicateTimestamp(file: String, line: Int, timestamp: LocalDateTime)
    /// A row has fewer fields than the columns it must supply.
    case tooFewFields(file: String, line: Int, expected: Int, found: Int)
    /// An NBP archive lacks a requested currency.
    case missingCurrency(file: String, code: String, available: [String])
    /// A GIOŚ sheet has no column for the requested station / position.
    case missingStation(file: String, code: String, available: [String])
    /// More than one GIOŚ column matches the requested station.
    case ambiguousStation(file: String, code: String, matches: [String])
    /// An expected header row or label is absent.
    case missingHeader(file: String, expected: String)
    /// An .xlsx part is missing or is not what the format requires.
    case malformedWorkbook(file: String, part: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(f, r): return "\(f): cannot read file: \(r)"
        case let .empty(f): return "\(f): the file is empty; expected a header line"
        case let .noDataRows(f): return "\(f): expected data rows after the header, found none"
        case let .duplicateColumn(f, l, n):
            return "\(f):\(l): expected each column name once, found '\(n)' twice; rename one of them"
        case let .missingColumn(f, l, n, a):
            return "\(f):\(l): expected a column named '\(n)'; the header has \(a.map { "'\($0)'" }.joined(separator: ", "))"
        case let .invalidNumber(f, l, c, t):
            return "\(f):\(l):\(c): expected a number, found '\(t)'"
        case let .invalidDate(f, l, c, t):
            return "\(f):\(l):\(c): expected a date or date-time (YYYY-MM-DD[ HH:MM[:SS]], YYYYMMDD, DD.MM.YYYY, ISO 'T', Excel serial), found '\(t)'"
        case let .outOfOrder(f, l, p, x):
            return "\(f):\(l): expected time stamps in increasing order, found \(x) after \(p)"
        case let .duplicateTimestamp(f, l, t):
            return "\(f):\(l): expected each time stamp once, found \(t) again"
        case let .tooFewFields(f, l, e, n):
            return "\(f):\(l): expected at least \(e) fields, found \(n)"
        case let .missingCurrency(f, c, a):
            return "\(f): expected a column for currency \(c); the file has \(a.joined(separator: ", "))"
        case let .missingStation(f, c, a):
            return "\(f): expected a column for station or position '\(c)'; the sheet has \(a.joined(separator: ", "))"
        case let .ambiguousStation(f, c, m):
            return "\(f): '\(c)' matches several columns (\(m.joined(separator: ", "))); give the full position code"
        case let .missingHeader(f, e): return "\(f): expected a header \(e)"
        case let .malformedWorkbook(f, p, r): return "\(f): workbook part \(p): \(r)"
        }
    }
}
