/// One cell of a worksheet (or of a delimited file read as a grid).
public enum SheetCell: Equatable, Sendable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
}

/// The cells of a sheet, row by row, with the row numbers the file gives them.
public struct SheetGrid: Equatable, Sendable {
    /// Names the source in error messages (e.g. `book.xlsx[xl/worksheets/sheet1.xml]`).
    public var file: String
    /// `(number, cells)`: the 1-based row number and its cells from column A (index 0) on.
    public var rows: [(number: Int, cells: [SheetCell])]

    public init(file: String, rows: [(number: Int, cells: [SheetCell])]) {
        self.file = file; self.rows = rows
    }

    public static func == (a: SheetGrid, b: SheetGrid) -> Bool {
        a.file == b.file && a.rows.count == b.rows.count
            && zip(a.rows, b.rows).allSatisfy { $0.number == $1.number && $0.cells == $1.cells }
    }

    /// Reads delimited text (`;`, tab or `,`, detected) as a grid of text cells.
    static func delimited(bytes: [UInt8], file: String, encoding: TextEncoding) -> SheetGrid {
        let lines = ByteText.lines(bytes)
        let header = lines.first(where: { !$0.bytes.isEmpty })?.bytes ?? []
        let delimiter = Delimiter.detect(header).rawValue
        return SheetGrid(file: file, rows: lines.map { line in
            (line.line, ByteText.fields(line.bytes, delimiter: delimiter).map { field -> SheetCell in
                let t = ByteText.trimmed(field)
                return t.isEmpty ? .empty : .text(encoding.decode(t))
            })
        })
    }
}

extension SheetCell {
    /// Zero-based column index of an A1-style reference (`"C12"` → 2), nil if malformed or
    /// longer than three letters (SpreadsheetML ends at XFD), so it cannot overflow.
    static func columnIndex(of reference: String) -> Int? {
        var n = 0, letters = 0
        for u in reference.utf8 {
            if u >= 65 && u <= 90 { n = n * 26 + Int(u - 64); letters += 1 }
            else if u >= 97 && u <= 122 { n = n * 26 + Int(u - 96); letters += 1 }
            else { break }
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : n - 1
    }

    /// Column letters of a zero-based index (2 → `"C"`).
    static func columnLetters(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }
}
