import Foundation

/// Reads NBP table A yearly archives (`archiwum_tab_a_YYYY.csv`).
///
/// Layout as NBP publishes it: cp1250, CRLF, `;`-separated, decimal commas. Row 1 holds
/// the codes (`data;1THB;1USD;…;100HUF;…`; the number is the unit count a rate is quoted
/// for), row 2 the currency names (first field empty), then one row per business day with
/// the date as YYYYMMDD, then trailer rows (`kod ISO`, `nazwa waluty`,
/// `liczba jednostek`) and empty rows, which are skipped. Any other row whose first field
/// is not a YYYYMMDD date is an error.
public enum NBPReader {
    /// How rates quoted for several units are returned.
    public enum Units: Sendable {
        /// Divided by the unit count: `100HUF` 1,2605 becomes 0.012605 PLN per forint.
        case perOneUnit
        /// As written in the file (PLN per 100 HUF).
        case asQuoted
    }

    /// Reads several yearly files into one date-ordered series with one column per
    /// requested ISO code (e.g. `"USD"`, or a full column code such as `"100HUF"`), named by
    /// the ISO code. Dates appearing in more than one file are kept once (the first
    /// file's row wins). A currency absent from any file is an error naming that file.
    public static func read(files: [URL], currencies: [String], units: Units = .perOneUnit) throws -> TimeSeries {
        guard !currencies.isEmpty else { throw DataReadError.missingColumn(file: files.first?.path ?? "", line: 1, name: "(no currency requested)", available: []) }
        var merged: [LocalDateTime: [Double]] = [:]
        for url in files {
            let one = try read(bytes: try FileBytes.read(url), file: url.path, currencies: currencies, units: units)
            for (i, t) in one.timestamps.enumerated() where merged[t] == nil {
                merged[t] = one.columns.map { $0[i] }
            }
        }
        let times = merged.keys.sorted()
        let names = currencies.map(isoCode(of:))
        return TimeSeries(timestamps: times,
                          columns: names.indices.map { c in (names[c], times.map { merged[$0]![c] }) })
    }

    /// Reads every `archiwum_tab_a_*.csv` in a folder, or the files matching a glob
    /// pattern (`*`, `?`, `[…]` in the last path component), optionally only some years.
    public static func read(pattern: String, currencies: [String], years: ClosedRange<Int>? = nil,
                            units: Units = .perOneUnit) throws -> TimeSeries {
        try read(files: try files(matching: pattern, years: years), currencies: currencies, units: units)
    }

    /// The archive files a folder or glob pattern names, sorted by name.
    public static func files(matching pattern: String, years: ClosedRange<Int>? = nil) throws -> [URL] {
        var isDir: ObjCBool = false
        let folder: String, namePattern: String
        if FileManager.default.fileExists(atPath: pattern, isDirectory: &isDir), isDir.boolValue {
            folder = pattern; namePattern = "archiwum_tab_a_*.csv"
        } else {
            let url = URL(fileURLWithPath: pattern)
            folder = url.deletingLastPathComponent().path; namePattern = url.lastPathComponent
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw DataReadError.unreadable(file: folder, reason: "cannot list folder")
        }
        let picked = names.filter { Glob.matches(Array($0.utf8), Array(namePattern.utf8)) }.sorted().filter { name in
            guard let years else { return true }
            let digits = name.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) }
            return digits.map { years.contains($0) } ?? false
        }
        guard !picked.isEmpty else { throw DataReadError.unreadable(file: pattern, reason: "no file matches") }
        return picked.map { URL(fileURLWithPath: folder).appendingPathComponent($0) }
    }

    /// Reads one archive already in memory; `file` names it in errors.
    public static func read(bytes: [UInt8], file: String, currencies: [String], units: Units = .perOneUnit) throws -> TimeSeries {
        let rows = ByteText.rows(bytes, delimiter: Delimiter.semicolon.rawValue)
        guard let headerRow = rows.first(where: { !$0.isBlank }) else { throw DataReadError.empty(file: file) }
        let header = headerRow.fields.map { TextDecoding.cp1250(ByteText.trimmed($0)) }
        guard header.first?.lowercased() == "data" else {
            throw DataReadError.missingHeader(file: file, expected: "row starting with 'data' on line \(headerRow.line)")
        }
        var columns: [(index: Int, divisor: Double)] = []
        for wanted in currencies {
            let iso = isoCode(of: wanted)
            guard let i = header.firstIndex(where: { $0 == wanted || isoCode(of: $0) == iso && $0 != "data" }) else {
                throw DataReadError.missingCurrency(file: file, code: wanted,
                                                    available: header.dropFirst().filter { unitCount(of: $0) != nil })
            }
            columns.append((i, units == .perOneUnit ? Double(unitCount(of: header[i]) ?? 1) : 1))
        }
        let trailers: Set<String> = ["kod iso", "nazwa waluty", "liczba jednostek"]
        var builder = SeriesBuilder(file: file, names: currencies.map(isoCode(of:)), duplicates: .error)
        for row in rows where row.line > headerRow.line && !row.isBlank {
            let first = ByteText.trimmed(row.field(0))
            if first.isEmpty && row.line == headerRow.line + 1 { continue } // currency names
            if trailers.contains(TextDecoding.cp1250(first).lowercased()) { continue }
            guard first.count == 8, let date = DateTimeParser.parse(first) else {
                throw DataReadError.invalidDate(file: file, line: row.line, column: 1, text: TextDecoding.cp1250(row.field(0)))
            }
            var values: [Double] = []
            for (c, divisor) in columns {
                guard c < row.fields.count else {
                    throw DataReadError.tooFewFields(file: file, line: row.line, expected: c + 1, found: row.fields.count)
                }
                switch NumberParser.parse(row.fields[c], decimal: DecimalSeparator.comma.rawValue) {
                case .value(let v): values.append(v / divisor)
                case .missing: values.append(.nan)
                case .invalid:
                    throw DataReadError.invalidNumber(file: file, line: row.line, column: c + 1, text: TextDecoding.cp1250(row.fields[c]))
                }
            }
            try builder.append(date, values, line: row.line)
        }
        guard !builder.timestamps.isEmpty else { throw DataReadError.noDataRows(file: file) }
        return builder.series
    }

    /// `"100HUF"` → 100, `"1USD"` → 1; nil when the code has no leading unit count.
    static func unitCount(of code: String) -> Int? {
        let digits = code.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count < code.count else { return nil }
        return Int(digits)
    }

    /// `"100HUF"` → `"HUF"`, `"USD"` → `"USD"`.
    static func isoCode(of code: String) -> String {
        String(code.drop(while: { $0.isASCII && $0.isNumber }))
    }
}

/// Shell-style file name matching: `*`, `?` and `[…]` (with ranges and `!`/`^`).
///
/// Iterative with one remembered `*` (the last one seen): a later star supersedes earlier
/// ones, so matching costs at most O(name × pattern) — the recursive form was exponential in
/// the number of stars (`************x` took minutes).
enum Glob {
    static func matches(_ name: [UInt8], _ pattern: [UInt8]) -> Bool {
        var n = 0, p = 0
        var star: (pattern: Int, name: Int)? = nil
        while n < name.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = (p, n); p += 1; continue
            }
            if p < pattern.count, let width = single(name[n], pattern, at: p) {
                n += 1; p += width; continue
            }
            guard let s = star else { return false }
            star = (s.pattern, s.name + 1)          // let the star take one more byte
            n = s.name + 1; p = s.pattern + 1
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// If the pattern element at `p` (a literal, `?` or a `[…]` class) matches `x`, its width.
    private static func single(_ x: UInt8, _ pattern: [UInt8], at p: Int) -> Int? {
        switch pattern[p] {
        case UInt8(ascii: "?"): return 1
        case UInt8(ascii: "["):
            guard p + 2 < pattern.count, let close = pattern[(p + 2)...].firstIndex(of: UInt8(ascii: "]")) else {
                return x == pattern[p] ? 1 : nil
            }
            var i = p + 1
            let negate = pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^")
            if negate { i += 1 }
            var hit = false
            while i < close {
                if i + 2 < close, pattern[i + 1] == UInt8(ascii: "-") {
                    if pattern[i] <= x && x <= pattern[i + 2] { hit = true }
                    i += 3
                } else { if pattern[i] == x { hit = true }; i += 1 }
            }
            return hit != negate ? close + 1 - p : nil
        default: return pattern[p] == x ? 1 : nil
        }
    }
}
