import Foundation
import XCTest
import ZIPFoundation
@testable import Forecast

/// A fresh temporary folder for one test.
func makeTempDir() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes bytes to `name` in `dir` and returns its URL.
@discardableResult
func writeFile(_ dir: URL, _ name: String, _ bytes: [UInt8]) throws -> URL {
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

/// Writes text, optionally with CRLF line ends, as UTF-8.
@discardableResult
func writeText(_ dir: URL, _ name: String, _ lines: [String], crlf: Bool = false) throws -> URL {
    try writeFile(dir, name, Array(lines.joined(separator: crlf ? "\r\n" : "\n").utf8) + Array((crlf ? "\r\n" : "\n").utf8))
}

/// The shared data folder (`../shared/data` beside the package root, or
/// `$RECURRENT_SHARED/data`), or nil when absent.
func sharedDataFolder() -> URL? {
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var candidates = [packageRoot.appendingPathComponent("../shared/data").standardized]
    if let env = ProcessInfo.processInfo.environment["RECURRENT_SHARED"], !env.isEmpty {
        candidates.insert(URL(fileURLWithPath: env).appendingPathComponent("data"), at: 0)
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
}

/// The expected error, or a test failure.
func assertThrows<T>(_ expected: DataReadError, file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected \(expected)", file: file, line: line)
    } catch let e as DataReadError {
        XCTAssertEqual(e, expected, file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

func dt(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> LocalDateTime {
    LocalDateTime(year: y, month: m, day: d, hour: h, minute: mi)
}

/// Builds a minimal valid .xlsx workbook with ZIPFoundation.
struct XLSXBuilder {
    /// Cell XML for one cell, e.g. `XLSXBuilder.shared("A1", 0)`.
    static func shared(_ ref: String, _ index: Int) -> String { "<c r=\"\(ref)\" t=\"s\"><v>\(index)</v></c>" }
    static func inline(_ ref: String, _ text: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>" }
    static func str(_ ref: String, _ text: String) -> String { "<c r=\"\(ref)\" t=\"str\"><v>\(text)</v></c>" }
    static func number(_ ref: String, _ v: String, style: Int? = nil) -> String {
        "<c r=\"\(ref)\"\(style.map { " s=\"\($0)\"" } ?? "")><v>\(v)</v></c>"
    }

    /// Shared string items as raw `<si>` contents (plain `<t>` or rich `<r>` runs).
    var sharedStrings: [String] = []
    /// Each row's cells XML, numbered from 1.
    var rows: [[String]] = []

    /// Adds a shared string and returns its index.
    mutating func add(shared text: String) -> Int {
        sharedStrings.append("<t>\(text)</t>"); return sharedStrings.count - 1
    }

    func write(to url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
            """),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """),
            ("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="PM10" sheetId="1" r:id="rId7"/></sheets></workbook>
            """),
            ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """),
            ("xl/sharedStrings.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\(sharedStrings.count)" uniqueCount="\(sharedStrings.count)">\(sharedStrings.map { "<si>\($0)</si>" }.joined())</sst>
            """),
            ("xl/worksheets/sheet1.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(rows.enumerated().map { "<row r=\"\($0.offset + 1)\">\($0.element.joined())</row>" }.joined())</sheetData></worksheet>
            """),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }
}

/// `value` as `JSONOutput` writes it, read back as a dictionary of `NSNumber`s, strings,
/// bools, `NSNull`s, arrays and dictionaries. Read with `JSONDecoder`: Linux's
/// `JSONSerialization` reader can miss a double's last digit (…784 read as …786).
func parsedJSON(_ value: some Encodable) throws -> [String: Any] {
    let text = JSONOutput.string(value)
    func plain(_ v: JSONValue) -> Any {
        switch v {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return NSNumber(value: i)
        case .number(let d): return NSNumber(value: d)
        case .string(let s): return s
        case .array(let a): return a.map(plain)
        case .object(let o): return o.mapValues(plain)
        }
    }
    return try XCTUnwrap(plain(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) as? [String: Any], text)
}
