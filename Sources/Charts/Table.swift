import Foundation

/// One cell of a ``Table``: text, or a number printed with fixed decimals (right-aligned).
public enum TableCell: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case text(String)
    /// A number and the decimals to print; nil decimals prints it as Swift does.
    case number(Double, decimals: Int?)
    /// Empty cell.
    case empty

    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .number(value, decimals: nil) }
    public init(integerLiteral value: Int) { self = .number(Double(value), decimals: 0) }

    /// A number with `decimals` digits after the point.
    public static func number(_ v: Double, _ decimals: Int) -> TableCell { .number(v, decimals: decimals) }

    /// Whether the printed text is a number, a range or a date ("8.61 ± 0.07", "2023-06-06",
    /// "1.9e-4"): such a cell must not break across lines.
    package var printsAsNumber: Bool {
        let t = text
        guard t.contains(where: \.isNumber), t.count <= 40 else { return false }
        return t.allSatisfy { "0123456789.,:+-−±eE×%()/ ".contains($0) || $0 == "\u{2009}" }
    }

    /// The numeric value, if any.
    public var numericValue: Double? {
        if case .number(let v, _) = self, v.isFinite { return v }
        return nil
    }

    /// The printed text.
    public var text: String {
        switch self {
        case .text(let s): return s
        case .empty: return ""
        case .number(let v, let d):
            if !v.isFinite { return v.isNaN ? "—" : (v > 0 ? "∞" : "−∞") }
            let s: String
            if let d { s = String(format: "%.\(d)f", v) } else if v == v.rounded() && abs(v) < 1e15 { s = String(Int(v)) } else { s = String(v) }
            return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
        }
    }
}

/// A metrics table with a header row. Numeric cells are right-aligned; in columns marked with
/// a ``Best`` rule the best value is highlighted (bold, tinted).
///
/// ```swift
/// var t = Table(header: ["Model", "RMSE", "MAE", "R²"])
/// t.addRow(["LSTM", .number(4.12, 2), .number(3.01, 2), .number(0.91, 3)])
/// t.addRow(["naive", .number(6.40, 2), .number(4.88, 2), .number(0.71, 3)])
/// t.best = [1: .lowest, 2: .lowest, 3: .highest]
/// ```
public struct Table: Equatable, Sendable {
    /// Which value in a column is best.
    public enum Best: Equatable, Sendable { case lowest, highest }

    public var header: [String]
    public var rows: [[TableCell]]
    /// Column index → rule for highlighting the best value.
    public var best: [Int: Best]
    /// Optional caption shown above the table.
    public var caption: String?

    public init(header: [String], rows: [[TableCell]] = [], best: [Int: Best] = [:], caption: String? = nil) {
        self.header = header; self.rows = rows; self.best = best; self.caption = caption
    }

    public mutating func addRow(_ cells: [TableCell]) { rows.append(cells) }

    /// Row indices holding the best value of `column` (ties all count); empty if no numbers.
    public func bestRows(column: Int) -> Set<Int> {
        guard let rule = best[column] else { return [] }
        let vals = rows.enumerated().compactMap { (i, r) -> (Int, Double)? in
            column < r.count ? r[column].numericValue.map { (i, $0) } : nil
        }
        guard let target = (rule == .lowest ? vals.map(\.1).min() : vals.map(\.1).max()) else { return [] }
        return Set(vals.filter { $0.1 == target }.map(\.0))
    }

    /// The table as an HTML fragment.
    public var html: String {
        var out = "<table>\n"
        if let caption { out += "<caption>\(Escape.html(caption))</caption>\n" }
        // A column is numeric when all its non-empty cells are numbers, or text printed as
        // numbers (e.g. "8.610 ± 0.070"): right-aligned and never wrapped.
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        let numeric: [Bool] = (0..<columns).map { c in
            var sawNumber = false
            for row in rows where c < row.count {
                switch row[c] {
                case .number: sawNumber = true
                case .text(let t) where t.isEmpty: break
                case .text: if row[c].printsAsNumber { sawNumber = true } else { return false }
                case .empty: break
                }
            }
            return sawNumber
        }
        out += "<thead><tr>"
        for (c, h) in header.enumerated() {
            out += "<th\(c < numeric.count && numeric[c] ? " class=\"num\"" : "")>\(Escape.html(h))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        let bestByColumn = (0..<columns).map { bestRows(column: $0) }
        for (r, row) in rows.enumerated() {
            out += "<tr>"
            for c in 0..<columns {
                let cell = c < row.count ? row[c] : .empty
                var classes: [String] = []
                // Numbers and short labels stay on one line; only longer text may wrap.
                if numeric[c] { classes.append("num") } else if cell.printsAsNumber || cell.text.count <= 32 { classes.append("nowrap") }
                if bestByColumn[c].contains(r) { classes.append("best") }
                let cls = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                out += "<td\(cls)>\(Escape.html(cell.text))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }
}
