import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the first worksheet of an .xlsx workbook into a `SheetGrid`.
///
/// Follows `xl/workbook.xml` → `xl/_rels/workbook.xml.rels` to the first sheet, resolves
/// shared strings (`xl/sharedStrings.xml`, rich-text runs joined, phonetic runs
/// skipped), and reads cells of type `s`, `inlineStr`, `str`, `n` (or none), `b` and
/// `e` (errors become empty). Styles are not read: whether a number is a date is up to
/// the caller.
public enum XLSXReader {
    /// The first worksheet of the workbook at `url`.
    public static func firstSheet(_ url: URL) throws -> SheetGrid {
        let file = url.path
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw DataReadError.malformedWorkbook(file: file, part: "(zip)", reason: "not a readable zip archive: \(error)")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            do { _ = try archive.extract(entry, skipCRC32: false) { data.append($0) } } catch {
                throw DataReadError.malformedWorkbook(file: file, part: path, reason: "cannot decompress: \(error)")
            }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw DataReadError.malformedWorkbook(file: file, part: "xl/workbook.xml", reason: "missing")
        }
        let wb = WorkbookHandler()
        try parse(workbook, with: wb, file: file, part: "xl/workbook.xml")
        guard let relId = wb.firstSheetRelationship else {
            throw DataReadError.malformedWorkbook(file: file, part: "xl/workbook.xml", reason: "no <sheet> element")
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            let rh = RelationshipsHandler()
            try parse(rels, with: rh, file: file, part: "xl/_rels/workbook.xml.rels")
            guard let target = rh.targets[relId] else {
                throw DataReadError.malformedWorkbook(file: file, part: "xl/_rels/workbook.xml.rels",
                                                      reason: "no relationship with Id \(relId)")
            }
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        var shared: [String] = []
        if let sst = try part("xl/sharedStrings.xml") {
            let sh = SharedStringsHandler()
            try parse(sst, with: sh, file: file, part: "xl/sharedStrings.xml")
            shared = sh.strings
        }
        guard let sheet = try part(sheetPath) else {
            throw DataReadError.malformedWorkbook(file: file, part: sheetPath, reason: "missing")
        }
        let handler = SheetHandler(shared: shared)
        try parse(sheet, with: handler, file: file, part: sheetPath)
        if let problem = handler.problem {
            throw DataReadError.malformedWorkbook(file: file, part: sheetPath, reason: problem)
        }
        return SheetGrid(file: "\(file)[\(sheetPath)]", rows: handler.rows)
    }

    private static func parse(_ data: Data, with delegate: XMLParserDelegate, file: String, part: String) throws {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        if !parser.parse() {
            let why = parser.parserError.map { "\($0)" } ?? "unknown error"
            throw DataReadError.malformedWorkbook(file: file, part: part,
                                                  reason: "invalid XML at line \(parser.lineNumber): \(why)")
        }
    }
}

private func localName(_ qualified: String) -> String {
    qualified.split(separator: ":").last.map(String.init) ?? qualified
}

private final class WorkbookHandler: NSObject, XMLParserDelegate {
    var firstSheetRelationship: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard firstSheetRelationship == nil, localName(name) == "sheet" else { return }
        firstSheetRelationship = attributes.first(where: { localName($0.key) == "id" })?.value
    }
}

private final class RelationshipsHandler: NSObject, XMLParserDelegate {
    var targets: [String: String] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if localName(name) == "Relationship", let id = attributes["Id"], let t = attributes["Target"] { targets[id] = t }
    }
}

private final class SharedStringsHandler: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = "", inText = false, phonetic = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(name) {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(name) {
        case "si": strings.append(current)
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

private final class SheetHandler: NSObject, XMLParserDelegate {
    let shared: [String]
    var rows: [(number: Int, cells: [SheetCell])] = []
    var problem: String?
    private var cells: [SheetCell] = []
    private var rowNumber = 0
    private var column = 0, type = "n", text = "", collecting = false, inCell = false

    init(shared: [String]) { self.shared = shared }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(name) {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            inCell = true
            column = attributes["r"].flatMap(SheetCell.columnIndex(of:)) ?? cells.count
            type = attributes["t"] ?? "n"
            text = ""
        case "v", "t":
            if inCell { collecting = true }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if collecting { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(name) {
        case "v", "t": collecting = false
        case "c":
            inCell = false
            let cell = makeCell(row: rowNumber)
            if column >= cells.count { cells += Array(repeating: .empty, count: column - cells.count + 1) }
            cells[column] = cell
        case "row":
            rows.append((rowNumber, cells))
        default: break
        }
    }

    private func makeCell(row: Int) -> SheetCell {
        let ref = "\(SheetCell.columnLetters(column))\(row)"
        switch type {
        case "s":
            guard let i = Int(text.trimmingCharacters(in: .whitespaces)), shared.indices.contains(i) else {
                problem = problem ?? "cell \(ref): shared string index '\(text)' out of range (\(shared.count) strings)"
                return .empty
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
                problem = problem ?? "cell \(ref): numeric cell holds '\(text)'"
                return .empty
            }
            return .number(v)
        }
    }
}
