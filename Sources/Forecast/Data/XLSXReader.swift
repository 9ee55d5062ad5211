import Foundation

/// Reads the first worksheet of an .xlsx workbook into a `SheetGrid`.
///
/// Follows `xl/workbook.xml` → `xl/_rels/workbook.xml.rels` to the first sheet, resolves
/// shared strings (`xl/sharedStrings.xml`, rich-text runs joined, phonetic runs
/// skipped), and reads cells of type `s`, `inlineStr`, `str`, `n` (or none), `b` and
/// `e` (errors become empty). Styles are not read: whether a number is a date is up to
/// the caller.
///
/// The workbook is untrusted input: the archive is read by `ZipArchive` (sizes bounded,
/// CRC-32 checked) and each part by `XMLTokenizer`; cell references are checked against
/// the format's limits (16,384 columns, 1,048,576 rows).
public enum XLSXReader {
    /// SpreadsheetML's grid: columns A…XFD, rows 1…1,048,576.
    static let maxColumns = 16_384
    static let maxRows = 1_048_576

    /// The first worksheet of the workbook at `url`.
    public static func firstSheet(_ url: URL, limits: ZipLimits = .fromEnvironment) throws -> SheetGrid {
        try firstSheet(bytes: try FileBytes.read(url), file: url.path, limits: limits)
    }

    /// The first worksheet of a workbook already in memory; `file` names it in errors.
    public static func firstSheet(bytes: [UInt8], file: String, limits: ZipLimits = .fromEnvironment) throws -> SheetGrid {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: bytes, limits: limits)
        } catch let e as ZipError {
            throw DataReadError.malformedWorkbook(file: file, part: "(zip)", reason: e.description)
        }
        func part(_ path: String) throws -> [UInt8]? {
            do { return try archive.extract(path) } catch let e as ZipError {
                throw DataReadError.malformedWorkbook(file: file, part: path, reason: e.description)
            }
        }
        func events(_ path: String, _ bytes: [UInt8], _ handle: (XMLEvent) throws -> Void) throws {
            var tokenizer = XMLTokenizer(bytes)
            do {
                while let event = try tokenizer.next() { try handle(event) }
            } catch let e as XMLSyntaxError {
                throw DataReadError.malformedWorkbook(file: file, part: path, reason: e.description)
            } catch let e as SheetProblem {
                throw DataReadError.malformedWorkbook(file: file, part: path, reason: e.reason)
            }
        }

        guard let workbook = try part("xl/workbook.xml") else {
            throw DataReadError.malformedWorkbook(file: file, part: "xl/workbook.xml", reason: "missing")
        }
        var relationshipId: String?
        try events("xl/workbook.xml", workbook) { event in
            if relationshipId == nil, case let .start(name, attributes) = event, localName(name) == "sheet" {
                relationshipId = attributes.first(where: { localName($0.key) == "id" })?.value
            }
        }
        guard let relId = relationshipId else {
            throw DataReadError.malformedWorkbook(file: file, part: "xl/workbook.xml", reason: "no <sheet> element")
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            var targets: [String: String] = [:]
            try events("xl/_rels/workbook.xml.rels", rels) { event in
                if case let .start(name, a) = event, localName(name) == "Relationship", let id = a["Id"], let t = a["Target"] {
                    targets[id] = t
                }
            }
            guard let target = targets[relId] else {
                throw DataReadError.malformedWorkbook(file: file, part: "xl/_rels/workbook.xml.rels",
                                                      reason: "no relationship with Id \(relId)")
            }
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        var shared: [String] = []
        if let sst = try part("xl/sharedStrings.xml") {
            var reader = SharedStringsReader()
            try events("xl/sharedStrings.xml", sst) { reader.take($0) }
            shared = reader.strings
        }
        guard let sheet = try part(sheetPath) else {
            throw DataReadError.malformedWorkbook(file: file, part: sheetPath, reason: "missing")
        }
        var reader = SheetReader(shared: shared)
        try events(sheetPath, sheet) { try reader.take($0) }
        return SheetGrid(file: "\(file)[\(sheetPath)]", rows: reader.rows)
    }
}

/// A sheet that is well-formed XML but breaks SpreadsheetML's rules.
private struct SheetProblem: Error { let reason: String }

private func localName(_ qualified: String) -> String {
    qualified.split(separator: ":").last.map(String.init) ?? qualified
}

private struct SharedStringsReader {
    var strings: [String] = []
    private var current = "", inText = false, phonetic = 0

    mutating func take(_ event: XMLEvent) {
        switch event {
        case let .start(name, _):
            switch localName(name) {
            case "si": current = ""
            case "rPh": phonetic += 1
            case "t": inText = phonetic == 0
            default: break
            }
        case let .text(s): if inText { current += s }
        case let .end(name):
            switch localName(name) {
            case "si": strings.append(current)
            case "rPh": phonetic -= 1
            case "t": inText = false
            default: break
            }
        }
    }
}

private struct SheetReader {
    let shared: [String]
    var rows: [(number: Int, cells: [SheetCell])] = []
    private var cells: [SheetCell] = []
    private var rowNumber = 0
    private var column = 0, type = "n", text = "", collecting = false, inCell = false

    init(shared: [String]) { self.shared = shared }

    mutating func take(_ event: XMLEvent) throws {
        switch event {
        case let .start(name, attributes):
            switch localName(name) {
            case "row":
                if let r = attributes["r"] {
                    guard let n = Int(r), (1...XLSXReader.maxRows).contains(n) else {
                        throw SheetProblem(reason: "row number '\(r.prefix(24))' is not between 1 and \(XLSXReader.maxRows)")
                    }
                    rowNumber = n
                } else {
                    rowNumber += 1
                    guard rowNumber <= XLSXReader.maxRows else { throw SheetProblem(reason: "more than \(XLSXReader.maxRows) rows") }
                }
                cells = []
            case "c":
                inCell = true
                if let r = attributes["r"] {
                    guard let c = SheetCell.columnIndex(of: r), c < XLSXReader.maxColumns else {
                        throw SheetProblem(reason: "cell reference '\(r.prefix(24))' is not a column between A and XFD")
                    }
                    column = c
                } else {
                    column = cells.count
                    guard column < XLSXReader.maxColumns else { throw SheetProblem(reason: "more than \(XLSXReader.maxColumns) cells in row \(rowNumber)") }
                }
                type = attributes["t"] ?? "n"
                text = ""
            case "v", "t":
                if inCell { collecting = true }
            default: break
            }
        case let .text(s): if collecting { text += s }
        case let .end(name):
            switch localName(name) {
            case "v", "t": collecting = false
            case "c":
                inCell = false
                let cell = try makeCell(row: rowNumber)
                if column >= cells.count { cells += Array(repeating: .empty, count: column - cells.count + 1) }
                cells[column] = cell
            case "row":
                rows.append((rowNumber, cells))
            default: break
            }
        }
    }

    private func makeCell(row: Int) throws -> SheetCell {
        let ref = "\(SheetCell.columnLetters(column))\(row)"
        switch type {
        case "s":
            guard let i = Int(text.trimmingCharacters(in: .whitespaces)), shared.indices.contains(i) else {
                throw SheetProblem(reason: "cell \(ref): shared string index '\(text.prefix(24))' out of range (\(shared.count) strings)")
            }
            return shared[i].isEmpty ? .empty : .text(shared[i])
        case "inlineStr", "str":
            return text.isEmpty ? .empty : .text(text)
        case "b":
            return .bool(text == "1" || text.lowercased() == "true")
        case "e":
            return .empty
        default:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return .empty }
            guard let v = Double(trimmed) else {
                throw SheetProblem(reason: "cell \(ref): numeric cell holds '\(text.prefix(24))'")
            }
            return .number(v)
        }
    }
}
