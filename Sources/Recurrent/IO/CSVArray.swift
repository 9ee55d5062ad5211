import Foundation

/// Why a numeric CSV could not be read or written. Messages start with the file.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    /// No rows at all.
    case empty(file: String)
    /// A field that is not a number (line and column are 1-based).
    case badValue(file: String, line: Int, column: Int, token: String, reason: String)
    /// A row with a different number of fields than the first.
    case raggedRow(file: String, line: Int, expected: Int, found: Int)
    /// A quoted field without its closing quote.
    case unterminatedQuote(file: String, line: Int, column: Int)
    /// `readVector` on a table with several rows and columns.
    case notAVector(file: String, rows: Int, columns: Int)
    /// Only rank-1 and rank-2 tensors can be written.
    case unsupportedRank(file: String, shape: [Int])
    /// The header has a different number of names than the tensor has columns.
    case headerMismatch(file: String, names: Int, columns: Int)

    public var description: String {
        switch self {
        case let .unreadable(f, r): return "\(f): cannot read: \(r)"
        case let .empty(f): return "\(f): no rows"
        case let .badValue(f, l, c, t, r): return "\(f): line \(l), column \(c): '\(t)' \(r)"
        case let .raggedRow(f, l, e, n): return "\(f): line \(l): \(n) \(n == 1 ? "field" : "fields"), expected \(e) like the first row"
        case let .unterminatedQuote(f, l, c): return "\(f): line \(l), column \(c): quoted field has no closing quote"
        case let .notAVector(f, r, c): return "\(f): expected a single row or column, found \(r) rows × \(c) columns"
        case let .unsupportedRank(f, s): return "\(f): only 1-D and 2-D tensors can be written as CSV, not shape \(s)"
        case let .headerMismatch(f, n, c): return "\(f): header has \(n) names for \(c) columns"
        }
    }
}

/// A numeric table read from CSV: optional header names and the values `[rows, columns]`.
///
/// Parsing works on bytes: lines end with `\n`, `\r\n` or `\r`; fields are separated by the
/// delimiter, may be surrounded by spaces and double quotes; blank lines are skipped; a UTF-8
/// byte-order mark is ignored.
///
/// ```swift
/// let table = try CSVArray.read(from: URL(fileURLWithPath: "series.csv"))  // header auto-detected
/// let y = try CSVArray.readVector(from: url)                                // [n]
/// try CSVArray.write(predictions, to: out, header: ["prediction"])
/// ```
public struct CSVArray: Sendable {
    public enum Header: Sendable {
        /// The first row is a header when any of its fields is not a number.
        case auto
        /// The first row is always a header.
        case present
        /// Every row is data.
        case absent
    }

    /// Column names from the header row, if there was one.
    public var header: [String]?
    /// The values, `[rows, columns]`.
    public var values: Tensor

    public init(header: [String]?, values: Tensor) {
        self.header = header
        self.values = values
    }

    // MARK: Reading

    public static func read(from url: URL, delimiter: UInt8 = UInt8(ascii: ","), header: Header = .auto) throws -> CSVArray {
        let file = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CSVError.unreadable(file: file, reason: ioReason(error))
        }
        return try parse(data, source: file, delimiter: delimiter, header: header)
    }

    /// Reads a single column (or a single row) as a rank-1 tensor.
    public static func readVector(from url: URL, delimiter: UInt8 = UInt8(ascii: ","), header: Header = .auto) throws -> Tensor {
        try read(from: url, delimiter: delimiter, header: header).vector(source: url.lastPathComponent)
    }

    /// The values as a rank-1 tensor when there is one column or one row.
    public func vector(source: String = "<data>") throws -> Tensor {
        let r = values.shape[0], c = values.shape[1]
        guard c == 1 || r == 1 else { throw CSVError.notAVector(file: source, rows: r, columns: c) }
        return values.reshaped([values.count])
    }

    /// Parses CSV bytes; `source` names them in errors.
    public static func parse(_ data: Data, source: String = "<data>", delimiter: UInt8 = UInt8(ascii: ","), header: Header = .auto) throws -> CSVArray {
        let bytes = [UInt8](data)
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }

        var names: [String]?
        var width = -1
        var scalars: [Float] = []
        var rows = 0
        var lineNumber = 0
        var i = start
        while i < bytes.count {
            // One physical line [i, end), then its terminator: \n, \r\n or \r.
            var end = i
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            lineNumber += 1
            let line = bytes[i..<end]
            i = end
            if i < bytes.count {
                i += (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
            }

            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let fields = try split(line, delimiter: delimiter, file: source, line: lineNumber)
            if names == nil, width < 0, header != .absent {
                let numeric = fields.map { parseNumber($0.text) }
                if header == .present || numeric.contains(where: { $0 == nil }) {
                    names = fields.map(\.text)
                    width = fields.count
                    continue
                }
            }
            if width < 0 { width = fields.count }
            guard fields.count == width else { throw CSVError.raggedRow(file: source, line: lineNumber, expected: width, found: fields.count) }
            for (k, f) in fields.enumerated() {
                guard let v = parseNumber(f.text) else {
                    throw CSVError.badValue(file: source, line: lineNumber, column: k + 1, token: f.text,
                                            reason: f.text.isEmpty ? "is empty; a number is needed" : "is not a number")
                }
                if !v.isFinite, !f.text.lowercased().contains("inf"), !f.text.lowercased().contains("nan") {
                    throw CSVError.badValue(file: source, line: lineNumber, column: k + 1, token: f.text, reason: "is out of the Float range")
                }
                scalars.append(v)
            }
            rows += 1
        }
        guard width >= 0 else { throw CSVError.empty(file: source) }
        return CSVArray(header: names, values: Tensor(shape: [rows, width], scalars: scalars))
    }

    private struct Field { var text: String }

    /// Splits one line into trimmed, unquoted fields.
    private static func split(_ line: ArraySlice<UInt8>, delimiter: UInt8, file: String, line number: Int) throws -> [Field] {
        var fields: [Field] = []
        var i = line.startIndex
        let end = line.endIndex
        func isSpace(_ b: UInt8) -> Bool { (b == 0x20 || b == 0x09) && b != delimiter }
        while true {
            while i < end, isSpace(line[i]) { i += 1 }
            var text: [UInt8] = []
            if i < end, line[i] == 0x22 {
                let column = fields.count + 1
                i += 1
                var closed = false
                while i < end {
                    if line[i] == 0x22 {
                        if i + 1 < end, line[i + 1] == 0x22 { text.append(0x22); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    text.append(line[i])
                    i += 1
                }
                guard closed else { throw CSVError.unterminatedQuote(file: file, line: number, column: column) }
                while i < end, line[i] != delimiter { i += 1 }  // text after the closing quote is ignored
            } else {
                while i < end, line[i] != delimiter { text.append(line[i]); i += 1 }
                while let last = text.last, isSpace(last) { text.removeLast() }
            }
            fields.append(Field(text: String(decoding: text, as: UTF8.self)))
            if i < end, line[i] == delimiter { i += 1; continue }
            return fields
        }
    }

    private static func parseNumber(_ text: String) -> Float? {
        guard !text.isEmpty else { return nil }
        return Float(text)
    }

    // MARK: Writing

    /// CSV bytes for a rank-1 (one value per line) or rank-2 tensor, with an optional header.
    /// Values are written in the shortest form that reads back to the same Float.
    public static func encode(_ tensor: Tensor, header: [String]? = nil, delimiter: UInt8 = UInt8(ascii: ","), source: String = "<data>") throws -> Data {
        guard tensor.rank == 1 || tensor.rank == 2 else { throw CSVError.unsupportedRank(file: source, shape: tensor.shape) }
        let columns = tensor.rank == 1 ? 1 : tensor.shape[1]
        let rows = tensor.shape[0]
        let sep = String(UnicodeScalar(delimiter))
        var out = ""
        if let header {
            guard header.count == columns else { throw CSVError.headerMismatch(file: source, names: header.count, columns: columns) }
            out += header.map { quoteIfNeeded($0, delimiter: sep) }.joined(separator: sep) + "\n"
        }
        for r in 0..<rows {
            for c in 0..<columns {
                if c > 0 { out += sep }
                out += tensor.scalars[r * columns + c].description
            }
            out += "\n"
        }
        return Data(out.utf8)
    }

    /// Writes `tensor` as CSV to `url`, atomically.
    public static func write(_ tensor: Tensor, to url: URL, header: [String]? = nil, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        let data = try encode(tensor, header: header, delimiter: delimiter, source: url.lastPathComponent)
        try AtomicFile.write(data, to: url)
    }

    private static func quoteIfNeeded(_ s: String, delimiter: String) -> String {
        guard s.contains(delimiter) || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.hasPrefix(" ") || s.hasSuffix(" ") else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
