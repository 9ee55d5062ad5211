import XCTest
@testable import Forecast

final class GIOSReaderTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A workbook in the current GIOŚ layout with text times, shared strings, rich runs,
    /// inline strings, numbers, decimal-comma text and empty cells.
    func fullWorkbook() throws -> URL {
        var b = XLSXBuilder()
        let nr = b.add(shared: "Nr"), kod = b.add(shared: "Kod stacji"), wsk = b.add(shared: "Wskaźnik")
        let czas = b.add(shared: "Czas uśredniania"), jedn = b.add(shared: "Jednostka"), stan = b.add(shared: "Kod stanowiska")
        let st1 = b.add(shared: "MpKrakAlKras"), st2 = b.add(shared: "MpKrakZloRog")
        b.sharedStrings.append("<r><rPr><b/></rPr><t>2021-01-01 </t></r><r><t>01:00:00</t></r><rPh><t>x</t></rPh>")
        let t1 = b.sharedStrings.count - 1
        let pm = b.add(shared: "PM10"), g1 = b.add(shared: "1g"), ug = b.add(shared: "ug/m3")
        b.rows = [
            [XLSXBuilder.shared("A1", nr), XLSXBuilder.number("B1", "1"), XLSXBuilder.number("C1", "2")],
            [XLSXBuilder.shared("A2", kod), XLSXBuilder.shared("B2", st1), XLSXBuilder.shared("C2", st2)],
            [XLSXBuilder.shared("A3", wsk), XLSXBuilder.shared("B3", pm), XLSXBuilder.shared("C3", pm)],
            [XLSXBuilder.shared("A4", czas), XLSXBuilder.shared("B4", g1), XLSXBuilder.shared("C4", g1)],
            [XLSXBuilder.shared("A5", jedn), XLSXBuilder.shared("B5", ug), XLSXBuilder.shared("C5", ug)],
            [XLSXBuilder.shared("A6", stan), XLSXBuilder.inline("B6", "MpKrakAlKras-PM10-1g"), XLSXBuilder.inline("C6", "MpKrakZloRog-PM10-1g")],
            [XLSXBuilder.shared("A7", t1), XLSXBuilder.number("B7", "50"), XLSXBuilder.number("C7", "25.5")],
            [XLSXBuilder.inline("A8", "2021-01-01 02:00:00"), XLSXBuilder.number("B8", "51"), XLSXBuilder.inline("C8", "26,25")],
            [XLSXBuilder.str("A9", "2021-01-01 03:00:00"), XLSXBuilder.number("B9", "52")],
            [XLSXBuilder.inline("A10", "2021-01-01 24:00:00"), XLSXBuilder.number("C10", "7")],
        ]
        let url = dir.appendingPathComponent("2021_PM10_1g.xlsx")
        try b.write(to: url)
        return url
    }

    func testWorkbookWithSharedAndInlineStrings() throws {
        let url = try fullWorkbook()
        let grid = try XLSXReader.firstSheet(url)
        XCTAssertEqual(grid.rows.count, 10)
        XCTAssertEqual(grid.rows[6].cells[0], .text("2021-01-01 01:00:00"))
        let s = try GIOSReader.readWorkbook(url, station: "MpKrakZloRog")
        XCTAssertEqual(s.names, ["MpKrakZloRog-PM10-1g"])
        XCTAssertEqual(s.timestamps, [dt(2021, 1, 1, 1), dt(2021, 1, 1, 2), dt(2021, 1, 1, 3), dt(2021, 1, 2)])
        let v = s["MpKrakZloRog-PM10-1g"]
        XCTAssertEqual(v[0], 25.5); XCTAssertEqual(v[1], 26.25); XCTAssertTrue(v[2].isNaN); XCTAssertEqual(v[3], 7)
        let byPosition = try GIOSReader.readWorkbook(url, station: "MpKrakAlKras-PM10-1g", convention: .hourEndingToStart)
        XCTAssertEqual(byPosition.timestamps.first, dt(2021, 1, 1, 0))
        XCTAssertEqual(byPosition["MpKrakAlKras-PM10-1g"][0], 50)
    }

    func testOlderLayoutWithSerialDatesAndStationRowOnly() throws {
        var b = XLSXBuilder()
        b.rows = [
            [XLSXBuilder.inline("A1", "Kod stacji"), XLSXBuilder.inline("B1", "MpKrakZloRog"), XLSXBuilder.inline("C1", "MpKrakBujaka")],
            [XLSXBuilder.inline("A2", "Wskaźnik"), XLSXBuilder.inline("B2", "PM10"), XLSXBuilder.inline("C2", "PM10")],
            [XLSXBuilder.number("A3", "44197.041666666664", style: 1), XLSXBuilder.number("B3", "1.5"), XLSXBuilder.number("C3", "9")],
            [XLSXBuilder.number("A4", "44197.083333333336", style: 1), XLSXBuilder.number("C4", "9")],
            [XLSXBuilder.number("A5", "44197.125", style: 1), XLSXBuilder.inline("B5", "3,5")],
        ]
        let url = dir.appendingPathComponent("2015_PM10_1g.xlsx")
        try b.write(to: url)
        let s = try GIOSReader.readWorkbook(url, station: "MpKrakZloRog")
        XCTAssertEqual(s.names, ["MpKrakZloRog"])
        XCTAssertEqual(s.timestamps, [dt(2021, 1, 1, 1), dt(2021, 1, 1, 2), dt(2021, 1, 1, 3)])
        XCTAssertEqual(s["MpKrakZloRog"][0], 1.5); XCTAssertTrue(s["MpKrakZloRog"][1].isNaN); XCTAssertEqual(s["MpKrakZloRog"][2], 3.5)
    }

    func testWorkbookErrors() throws {
        let url = try fullWorkbook()
        let sheet = "\(url.path)[xl/worksheets/sheet1.xml]"
        assertThrows(.missingStation(file: sheet, code: "MpKrakBujaka", available: ["MpKrakAlKras-PM10-1g", "MpKrakZloRog-PM10-1g"])) {
            try GIOSReader.readWorkbook(url, station: "MpKrakBujaka")
        }
        var b = XLSXBuilder()
        b.rows = [
            [XLSXBuilder.inline("A1", "Kod stacji"), XLSXBuilder.inline("B1", "MpKrakZloRog")],
            [XLSXBuilder.inline("A2", "2021-01-01 01:00:00"), XLSXBuilder.inline("B2", "12,5")],
            [XLSXBuilder.inline("A3", "2021-01-01 02:00:00"), XLSXBuilder.inline("B3", "n/d?")],
        ]
        let bad = dir.appendingPathComponent("bad.xlsx")
        try b.write(to: bad)
        assertThrows(.invalidNumber(file: "\(bad.path)[xl/worksheets/sheet1.xml]", line: 3, column: 2, text: "n/d?")) {
            try GIOSReader.readWorkbook(bad, station: "MpKrakZloRog")
        }
        b.rows[2] = [XLSXBuilder.inline("A3", "2021-01-01 00:00:00"), XLSXBuilder.number("B3", "13")]
        try FileManager.default.removeItem(at: bad); try b.write(to: bad)
        assertThrows(.outOfOrder(file: "\(bad.path)[xl/worksheets/sheet1.xml]", line: 3, previous: dt(2021, 1, 1, 1), found: dt(2021, 1, 1))) {
            try GIOSReader.readWorkbook(bad, station: "MpKrakZloRog")
        }
        b.rows = [[XLSXBuilder.inline("A1", "Kod stacji"), XLSXBuilder.inline("B1", "MpKrakZloRog")]]
        try FileManager.default.removeItem(at: bad); try b.write(to: bad)
        assertThrows(.noDataRows(file: "\(bad.path)[xl/worksheets/sheet1.xml]")) { try GIOSReader.readWorkbook(bad, station: "MpKrakZloRog") }
        let notZip = try writeText(dir, "fake.xlsx", ["hello"])
        XCTAssertThrowsError(try GIOSReader.readWorkbook(notZip, station: "X")) { e in
            guard case DataReadError.malformedWorkbook(let f, _, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(f, notZip.path)
        }
    }

    func testGIOSCSVExportCP1250() throws {
        let lines = ["Kod stacji;MpKrakZloRog;MpKrakAlKras", "Wskaźnik;PM10;PM10", "Czas uśredniania;1g;1g",
                     "2021-01-01 01:00:00;12,5;3", "2021-01-01 02:00:00;;4", "2021-01-01 03:00:00;13;5"]
        let url = try writeFile(dir, "gios.csv", cp1250Bytes(lines.joined(separator: "\r\n") + "\r\n"))
        let s = try GIOSReader.readCSV(url, station: "MpKrakZloRog")
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s["MpKrakZloRog"][0], 12.5); XCTAssertTrue(s["MpKrakZloRog"][1].isNaN)
        let comma = try writeText(dir, "g2.csv", ["Kod stacji,A,B", "Kod stanowiska,A-PM10-1g,B-PM10-1g", "2021-01-01 01:00,\"1,5\",2.5"])
        XCTAssertEqual(try GIOSReader.readCSV(comma, station: "B")["B-PM10-1g"], [2.5])
        XCTAssertEqual(try GIOSReader.readCSV(comma, station: "A")["A-PM10-1g"], [1.5])
        let noHeader = try writeText(dir, "g3.csv", ["Stacja;A", "2021-01-01 01:00;1"])
        assertThrows(.missingHeader(file: noHeader.path, expected: "row labelled 'Kod stacji' or 'Kod stanowiska' in column A")) {
            try GIOSReader.readCSV(noHeader, station: "A")
        }
    }

    func testRealPM10File() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("shared data folder absent") }
        let s = try GIOSReader.readPlainCSV(shared.appendingPathComponent("pm10/krakow-zloty-rog-pm10-1h.csv"))
        XCTAssertEqual(s.names, ["PM10"])
        XCTAssertEqual(s.count, 43_075)
        XCTAssertEqual(s.timestamps.first, dt(2020, 1, 1, 0))
        XCTAssertEqual(s.timestamps.last, dt(2024, 12, 31, 23))
        XCTAssertEqual(s.missingCount("PM10"), 0)
        let (regular, report) = try Cleaning.regularize(s, frequency: .hourly)
        XCTAssertEqual(regular.count, 43_848)
        XCTAssertEqual(report.inserted, 773)
        let longest = Cleaning.gaps(in: regular["PM10"]).map { $0.count }.max()
        XCTAssertEqual(longest, 58)
        let daily = Cleaning.dailyMean(regular)
        XCTAssertEqual(daily.series.count, 1827)
        XCTAssertEqual(daily.missingDays, 31)
        let filled = try Cleaning.interpolateLinear(regular, column: "PM10", maxGap: 3)
        let windows = try Windowing.make(filled.series, target: "PM10", spec: WindowSpec(lookback: 24, horizon: 1), frequency: .hourly)
        XCTAssertEqual(filled.filled, 297)
        XCTAssertEqual(windows.count, 42_608)
        for rows in windows.targetRows { XCTAssertFalse(filled.series["PM10"][rows[0]].isNaN) }
        print("PM10: filled \(filled.filled) hours (gaps ≤ 3 h), \(windows.count) windows of 24 → 1")
    }
}
