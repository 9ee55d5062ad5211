/// Byte-level helpers for delimited text files.
///
/// Files are handled as bytes, not Swift `Character`s: Swift treats "\r\n" as one
/// Character, so splitting a String on "\n" fails on CRLF files.
enum ByteText {
    static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// One line of a delimited file: its 1-based line number and fields.
    struct Row {
        var line: Int
        var fields: [[UInt8]]
        /// True when every field is empty after trimming.
        var isBlank: Bool { fields.allSatisfy { ByteText.trimmed($0).isEmpty } }
        func field(_ i: Int) -> [UInt8] { i < fields.count ? fields[i] : [] }
    }

    /// Splits file bytes into lines (LF or CRLF; a UTF-8 byte-order mark is dropped).
    static func lines(_ bytes: [UInt8]) -> [(line: Int, bytes: ArraySlice<UInt8>)] {
        var out: [(Int, ArraySlice<UInt8>)] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var number = 1
        var i = start
        while i < bytes.count {
            if bytes[i] == lf {
                var end = i
                if end > start && bytes[end - 1] == cr { end -= 1 }
                out.append((number, bytes[start..<end]))
                number += 1; start = i + 1
            }
            i += 1
        }
        if start < bytes.count {
            var end = bytes.count
            if bytes[end - 1] == cr { end -= 1 }
            out.append((number, bytes[start..<end]))
        }
        return out
    }

    /// Splits one line on `delimiter`, honouring double-quoted fields ("" is a quote).
    static func fields(_ line: ArraySlice<UInt8>, delimiter: UInt8) -> [[UInt8]] {
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < line.endIndex && line[i + 1] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == quote {
                inQuotes = true
            } else if c == delimiter {
                fields.append(field); field = []
            } else { field.append(c) }
            i += 1
        }
        fields.append(field)
        return fields
    }

    /// All rows of a file.
    static func rows(_ bytes: [UInt8], delimiter: UInt8) -> [Row] {
        lines(bytes).map { Row(line: $0.line, fields: fields($0.bytes, delimiter: delimiter)) }
    }

    /// Counts `c` outside double quotes.
    static func count(_ c: UInt8, in line: ArraySlice<UInt8>) -> Int {
        var n = 0, inQuotes = false
        for b in line { if b == quote { inQuotes.toggle() } else if b == c && !inQuotes { n += 1 } }
        return n
    }

    static func trim(_ b: inout [UInt8]) {
        while let f = b.last, f == space || f == tab || f == quote || f == cr { b.removeLast() }
        var k = 0
        while k < b.count, b[k] == space || b[k] == tab || b[k] == quote { k += 1 }
        if k > 0 { b.removeFirst(k) }
    }

    static func trimmed(_ b: [UInt8]) -> [UInt8] { var c = b; trim(&c); return c }
}

/// The outcome of reading one numeric cell.
enum ParsedNumber: Equatable {
    case value(Double)
    case missing
    case invalid
}

enum NumberParser {
    /// Parses a decimal number written with `decimal` (`.` or `,`) as separator.
    ///
    /// Empty text, `NaN`, `NA`, `null` and `-` count as missing. Thousands separators,
    /// the other decimal mark, units or any other character make the cell invalid, so
    /// that no number is silently misread.
    static func parse(_ raw: [UInt8], decimal: UInt8) -> ParsedNumber {
        let b = ByteText.trimmed(raw)
        if b.isEmpty { return .missing }
        var text = ""
        text.reserveCapacity(b.count)
        var sawDigit = false
        for (i, c) in b.enumerated() {
            switch c {
            case 0x30...0x39: sawDigit = true; text.append(Character(UnicodeScalar(c)))
            case decimal: text.append(".")
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if i != 0 && b[i - 1] | 0x20 != UInt8(ascii: "e") { return .invalid }
                text.append(Character(UnicodeScalar(c)))
            case UInt8(ascii: "e"), UInt8(ascii: "E"): text.append("e")
            default:
                let lower = String(decoding: b, as: UTF8.self).lowercased()
                return ["nan", "na", "null", "n/a"].contains(lower) ? .missing : .invalid
            }
        }
        if !sawDigit { return b == [UInt8(ascii: "-")] ? .missing : .invalid }
        guard let v = Double(text), v.isFinite else { return .invalid }
        return .value(v)
    }
}
