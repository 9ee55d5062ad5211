import XCTest
@testable import Forecast

final class CSVReaderTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testCommaFileWithCRLFAndMissing() throws {
        let url = try writeText(dir, "a.csv", ["datetime,PM10,NO2", "2020-01-01 00:00:00,25.5,3", "2020-01-01 01:00:00,,4", "", "2020-01-01 02:00:00,1e1,NaN"], crlf: true)
        let s = try CSVReader.read(url)
        XCTAssertEqual(s.names, ["PM10", "NO2"])
        XCTAssertEqual(s.timestamps, [dt(2020, 1, 1, 0), dt(2020, 1, 1, 1), dt(2020, 1, 1, 2)])
        XCTAssertEqual(s["PM10"][0], 25.5)
        XCTAssertTrue(s["PM10"][1].isNaN)
        XCTAssertEqual(s["PM10"][2], 10)
        XCTAssertTrue(s["NO2"][2].isNaN)
        XCTAssertEqual(s.missingCount("PM10"), 1)
    }

    func testSemicolonDecimalCommaPickedColumnsAndDDMMYYYY() throws {
        let url = try writeText(dir, "b.csv", ["x;Data;Kurs;Inny", "a;04.01.2021;3,6998;1", "b;05.01.2021;3,7000;2"])
        let s = try CSVReader.read(url, options: CSVOptions(timeColumn: "Data", valueColumns: ["Kurs"]))
        XCTAssertEqual(s.names, ["Kurs"])
        XCTAssertEqual(s["Kurs"], [3.6998, 3.7])
        XCTAssertEqual(s.timestamps, [dt(2021, 1, 4), dt(2021, 1, 5)])
    }

    func testTabDelimiterAndISOT() throws {
        let url = try writeText(dir, "c.tsv", ["time\tv", "2021-01-04T10:00\t1.5", "2021-01-04T11:00\t\"2.5\""])
        let s = try CSVReader.read(url)
        XCTAssertEqual(s["v"], [1.5, 2.5])
    }

    func testGivenDelimiterAndDecimalSeparator() throws {
        let url = try writeText(dir, "d.csv", ["d;v", "20210104;1.5"])
        let s = try CSVReader.read(url, options: CSVOptions(delimiter: .semicolon, decimalSeparator: .point))
        XCTAssertEqual(s["v"], [1.5])
        let bad = try writeText(dir, "e.csv", ["d;v", "20210104;1.5"])
        assertThrows(.invalidNumber(file: bad.path, line: 2, column: 2, text: "1.5")) {
            try CSVReader.read(bad, options: CSVOptions(decimalSeparator: .comma))
        }
    }

    func testErrorsNameFileLineAndColumn() throws {
        let nonNumeric = try writeText(dir, "n.csv", ["t,v", "2021-01-01,1", "2021-01-02,abc"])
        assertThrows(.invalidNumber(file: nonNumeric.path, line: 3, column: 2, text: "abc")) { try CSVReader.read(nonNumeric) }

        let badDate = try writeText(dir, "bd.csv", ["t,v", "2021-01-01,1", "2021-02-30,2"])
        assertThrows(.invalidDate(file: badDate.path, line: 3, column: 1, text: "2021-02-30")) { try CSVReader.read(badDate) }

        let order = try writeText(dir, "o.csv", ["t,v", "2021-01-02,1", "2021-01-01,2"])
        assertThrows(.outOfOrder(file: order.path, line: 3, previous: dt(2021, 1, 2), found: dt(2021, 1, 1))) { try CSVReader.read(order) }

        let dup = try writeText(dir, "u.csv", ["t,v", "2021-01-02,1", "2021-01-02,2"])
        assertThrows(.duplicateTimestamp(file: dup.path, line: 3, timestamp: dt(2021, 1, 2))) { try CSVReader.read(dup) }
        XCTAssertEqual(try CSVReader.read(dup, options: CSVOptions(duplicates: .keepFirst))["v"], [1])

        let headersOnly = try writeText(dir, "h.csv", ["t,v", ""])
        assertThrows(.noDataRows(file: headersOnly.path)) { try CSVReader.read(headersOnly) }

        let empty = try writeFile(dir, "z.csv", [])
        assertThrows(.empty(file: empty.path)) { try CSVReader.read(empty) }

        let short = try writeText(dir, "s.csv", ["t,v,w", "2021-01-01,1"])
        assertThrows(.tooFewFields(file: short.path, line: 2, expected: 3, found: 2)) { try CSVReader.read(short) }

        let cols = try writeText(dir, "c.csv", ["t,v", "2021-01-01,1"])
        assertThrows(.missingColumn(file: cols.path, line: 1, name: "PM10", available: ["t", "v"])) {
            try CSVReader.read(cols, options: CSVOptions(valueColumns: ["PM10"]))
        }
        let missing = dir.appendingPathComponent("nope.csv")
        XCTAssertThrowsError(try CSVReader.read(missing)) { e in
            XCTAssertTrue("\(e)".contains("nope.csv"), "\(e)")
        }
    }

    func testErrorMessageIsReadable() {
        let e = DataReadError.invalidNumber(file: "x.csv", line: 3, column: 2, text: "abc")
        XCTAssertEqual(e.description, "x.csv:3:2: expected a number, found 'abc'")
    }
}
