import Foundation
import XCTest
import ZIPFoundation
@testable import Forecast

/// Hostile workbooks (issue 10): each must end in a `DataReadError` naming the part, quickly,
/// never in a crash, a hang or a multi-gigabyte allocation.
final class WorkbookHardeningTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Writes a zip with ZIPFoundation (an independent DEFLATE encoder).
    func zip(_ name: String, _ parts: [(String, [UInt8])], method: CompressionMethod = .deflate) throws -> URL {
        let url = dir.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, bytes) in parts {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) {
                data.subdata(in: Int($0)..<(Int($0) + $1))
            }
        }
        return url
    }

    /// A workbook whose sheet has the given `<sheetData>` content and optional extra bytes.
    func workbook(_ name: String, sheetData: String, workbookXML: [UInt8]? = nil) throws -> URL {
        let wb = workbookXML ?? Array(#"<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)
        return try zip(name, [
            ("xl/workbook.xml", wb),
            ("xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8)),
            ("xl/worksheets/sheet1.xml", Array("<worksheet><sheetData>\(sheetData)</sheetData></worksheet>".utf8)),
        ])
    }

    func reason(_ url: URL, limits: ZipLimits = ZipLimits(), file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try XLSXReader.firstSheet(url, limits: limits)
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch let DataReadError.malformedWorkbook(f, part, why) {
            XCTAssertEqual(f, url.path, file: file, line: line)
            return "\(part): \(why)"
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return ""
        }
    }

    func testDeflatedAndStoredMembersMatchZIPFoundation() throws {
        var rng = SystemRandomNumberGenerator()
        let words = ["PM10", "<c r=\"B7\">", "12,5", "Kraków", "\u{1F600}", "     ", "2021-01-01 01:00"]
        var text: [UInt8] = []
        while text.count < 300_000 { text += Array(words[Int(rng.next() % UInt64(words.count))].utf8) }
        text += (0..<5_000).map { _ in UInt8.random(in: 0...255) }        // incompressible tail: stored blocks
        for method in [CompressionMethod.deflate, .none] {
            let url = try zip("m\(method).zip", [("a.bin", text), ("empty", [])], method: method)
            let archive = try ZipArchive(bytes: Array(try Data(contentsOf: url)), limits: ZipLimits())
            XCTAssertEqual(try archive.extract("a.bin"), text)
            XCTAssertEqual(try archive.extract("empty"), [])
            XCTAssertNil(try archive.extract("missing"))
        }
    }

    func testCorruptedDataIsRejectedNotParsed() throws {
        let url = try workbook("c.xlsx", sheetData: (1...200).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined())
        let good = Array(try Data(contentsOf: url))
        let sheetHeader = try XCTUnwrap(findLocalHeader(good, name: "xl/worksheets/sheet1.xml"))
        var rejected = 0
        let start = Date()
        for offset in stride(from: sheetHeader + 30 + 24, to: sheetHeader + 30 + 24 + 300, by: 3) {
            var bad = good
            bad[offset] ^= 0x5A
            let badURL = dir.appendingPathComponent("bad.xlsx")
            try Data(bad).write(to: badURL)
            do {
                let grid = try XLSXReader.firstSheet(badURL)
                XCTAssertEqual(grid.rows.count, 200, "a corrupted byte must not change what is read")
            } catch DataReadError.malformedWorkbook { rejected += 1 }
        }
        XCTAssertGreaterThan(rejected, 90)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    func testZipBombAndSizeLimits() throws {
        let zeros = [UInt8](repeating: 0x20, count: 12 << 20)
        let bomb = try zip("bomb.xlsx", [("xl/workbook.xml", zeros)])
        XCTAssertTrue(reason(bomb).contains("beyond the limit of 1000:1"), reason(bomb))
        let big = try zip("big.xlsx", [("xl/workbook.xml", Array(repeating: UInt8(ascii: "a"), count: 3 << 20))])
        let why = reason(big, limits: ZipLimits(maxPartBytes: 1 << 20))
        XCTAssertTrue(why.contains("RECURRENT_XLSX_MAX_PART_MB"), why)
    }

    func testMemberLongerThanDeclaredIsRejected() throws {
        let url = try workbook("lie.xlsx", sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        var bytes = Array(try Data(contentsOf: url))
        // central directory entry of the workbook part: shrink its uncompressed size by 10
        let cd = try XCTUnwrap(findCentralEntry(bytes, name: "xl/workbook.xml"))
        let size = Int(bytes[cd + 24]) | Int(bytes[cd + 25]) << 8
        bytes[cd + 24] = UInt8((size - 10) & 0xFF); bytes[cd + 25] = UInt8((size - 10) >> 8)
        try Data(bytes).write(to: url)
        XCTAssertTrue(reason(url).contains("exceeds"), reason(url))
    }

    func testProcessingInstructionsAndCommentsAreSkipped() throws {
        let wb = Array(#"<?xml version="1.0"?><?abc?><!-- x --><workbook xmlns:r="r"><?abc?><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)
        let url = try workbook("pi.xlsx", sheetData: "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t><![CDATA[a<b]]> &amp; &#x41;&#66;</t></is></c></row>", workbookXML: wb)
        let grid = try XLSXReader.firstSheet(url)
        XCTAssertEqual(grid.rows.count, 1)
        XCTAssertEqual(grid.rows[0].number, 2)
        XCTAssertEqual(grid.rows[0].cells, [.empty, .text("a<b & AB")])
    }

    func testNonUTF8DoctypeAndBadNestingAreErrors() throws {
        let nonUTF8 = Array("<workbook><".utf8) + [0xFE, 0xFF, 0xFF, 0xFF] + Array("/></workbook>".utf8)
        XCTAssertTrue(reason(try workbook("u.xlsx", sheetData: "", workbookXML: nonUTF8)).contains("not UTF-8"))
        let doctype = Array(#"<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>"#.utf8)
        XCTAssertTrue(reason(try workbook("d.xlsx", sheetData: "", workbookXML: doctype)).contains("document type"))
        let nesting = Array("<workbook>\n<sheets></workbook>".utf8)
        XCTAssertEqual(reason(try workbook("n.xlsx", sheetData: "", workbookXML: nesting)),
                       "xl/workbook.xml: invalid XML at line 2: </workbook> closes <sheets>")
        let piTarget = Array("<?".utf8) + [0xFE, 0xFF] + Array("?><workbook/>".utf8)
        XCTAssertTrue(reason(try workbook("p.xlsx", sheetData: "", workbookXML: piTarget)).contains("no <sheet>"))
    }

    func testCellReferencesBeyondTheGridAreErrors() throws {
        let cases = [
            ("<row r=\"1\"><c r=\"ABCDEFGHIJKLMN1\"><v>1</v></c></row>", "cell reference 'ABCDEFGHIJKLMN1'"),
            ("<row r=\"1\"><c r=\"XFDXFDXF1\"><v>1</v></c></row>", "cell reference 'XFDXFDXF1'"),
            ("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", "cell reference 'XFE1'"),
            ("<row r=\"9223372036854775807\"><c r=\"A1\"><v>1</v></c></row>", "row number '9223372036854775807'"),
            ("<row r=\"0\"></row>", "row number '0'"),
        ]
        for (i, (xml, expected)) in cases.enumerated() {
            let why = reason(try workbook("r\(i).xlsx", sheetData: xml))
            XCTAssertTrue(why.contains(expected), why)
        }
        let last = try XLSXReader.firstSheet(try workbook("xfd.xlsx", sheetData: "<row r=\"1048576\"><c r=\"XFD1048576\"><v>7</v></c></row>"))
        XCTAssertEqual(last.rows[0].cells.count, 16_384)
        XCTAssertEqual(last.rows[0].cells.last, .number(7))
    }

    func testTokenizerEvents() throws {
        var t = XMLTokenizer(Array("<a x='1' y=\"&lt;2&gt;\"><b/>t&quot;</a>".utf8))
        var events: [XMLEvent] = []
        while let e = try t.next() { events.append(e) }
        XCTAssertEqual(events, [.start(name: "a", attributes: ["x": "1", "y": "<2>"]), .start(name: "b", attributes: [:]),
                                .end(name: "b"), .text("t\""), .end(name: "a")])
        for bad in ["<a x='1' x='2'/>", "<a>", "<a>&bogus;</a>", "<a>&#0;</a>", "text<a/>", "<a x=1/>", String(repeating: "<a>", count: 300)] {
            var t = XMLTokenizer(Array(bad.utf8))
            XCTAssertThrowsError(try { while try t.next() != nil {} }(), bad)
        }
    }

    private func findLocalHeader(_ bytes: [UInt8], name: String) -> Int? {
        let n = Array(name.utf8)
        return (0..<(bytes.count - 30 - n.count)).first { p in
            bytes[p] == 0x50 && bytes[p + 1] == 0x4B && bytes[p + 2] == 3 && bytes[p + 3] == 4
                && Array(bytes[(p + 30)..<(p + 30 + n.count)]) == n
        }
    }

    private func findCentralEntry(_ bytes: [UInt8], name: String) -> Int? {
        let n = Array(name.utf8)
        return (0..<(bytes.count - 46 - n.count)).first { p in
            bytes[p] == 0x50 && bytes[p + 1] == 0x4B && bytes[p + 2] == 1 && bytes[p + 3] == 2
                && Array(bytes[(p + 46)..<(p + 46 + n.count)]) == n
        }
    }
}

/// Small hostile CSV inputs (issue 10).
final class HostileCSVTests: XCTestCase {
    func testRepeatedColumnNameIsAnError() throws {
        let dir = try makeTempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let url = try writeText(dir, "d.csv", ["d,v,v", "2024-01-01,1,2"])
        assertThrows(.duplicateColumn(file: url.path, line: 1, name: "v")) { try CSVReader.read(url) }
        let same = try writeText(dir, "t.csv", ["d,d", "2024-01-01,1"])
        assertThrows(.duplicateColumn(file: same.path, line: 1, name: "d")) { try CSVReader.read(same) }
    }

    func testCenturiesApartAreRefusedBeforeAllocating() throws {
        let series = TimeSeries(timestamps: [dt(1, 1, 1), dt(9999, 12, 31)], name: "v", values: [1, 2])
        let start = Date()
        XCTAssertThrowsError(try Cleaning.regularize(series, frequency: .hourly)) { e in
            XCTAssertTrue("\(e)".contains("above the limit of 10000000"), "\(e)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testHugeLookbackOrHorizonIsAnErrorNotAnOverflow() throws {
        let s = TimeSeries(timestamps: (1...5).map { dt(2024, 1, $0) }, name: "y", values: [1, 2, 3, 4, 5])
        for spec in [WindowSpec(lookback: .max), WindowSpec(lookback: 2, horizon: .max), WindowSpec(lookback: 2, horizon: 1, output: .single, stride: .max)] {
            XCTAssertThrowsError(try Windowing.make(s, target: "y", spec: spec)) { e in
                XCTAssertTrue("\(e)".contains("at most 16777216 steps"), "\(e)")
            }
        }
    }

    func testAFIFOIsNotReadAsData() throws {
        let dir = try makeTempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try CSVReader.read(fifo)) { e in
            XCTAssertTrue("\(e)".contains("a pipe or socket, expected a regular file"), "\(e)")
        }
        XCTAssertThrowsError(try CSVReader.read(dir)) { e in XCTAssertTrue("\(e)".contains("a folder"), "\(e)") }
    }
}

/// `--resample daily` takes hourly readings whose stamps are not all on the hour (the seven
/// Kraków stations' file has 07:59:59): no calendar is inferred from the raw rows.
final class ResampleIrregularStampsTests: XCTestCase {
    func testDailyMeansOfIrregularStampsNeedNoInferredCalendar() throws {
        let dir = try makeTempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        var lines = ["time,v"]
        for d in 1...20 { for h in 0..<24 { lines.append(String(format: "2024-01-%02d %02d:", d, h) + (h == 7 ? "59:59" : "00:00") + ",\(h)") } }
        let url = try writeText(dir, "s.csv", lines)
        var source = SeriesSource()
        XCTAssertThrowsError(try source.load([url.path]))           // irregular without resampling
        source.resample = .daily
        let loaded = try source.load([url.path])
        XCTAssertEqual(loaded.frequency, .daily)
        XCTAssertEqual(loaded.series.count, 20)
    }
}
