import XCTest
@testable import Forecast

final class NBPReaderTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try makeTempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// An archive as NBP writes it: cp1250, CRLF, trailing `;`, names row, trailer rows.
    @discardableResult
    func archive(_ name: String, codes: [String], rows: [(String, [String])], trailer: Bool = true) throws -> URL {
        var lines = ["data;" + codes.joined(separator: ";") + ";nr tabeli;pełny numer tabeli;"]
        lines.append(";" + codes.map { $0.hasSuffix("USD") ? "dolar amerykański" : $0.hasSuffix("HUF") ? "forint (Węgry)" : "złoty \($0)" }.joined(separator: ";") + ";;;")
        for (date, values) in rows { lines.append("\(date);" + values.joined(separator: ";") + ";1;1/A/NBP/2021;") }
        if trailer {
            lines += ["", "kod ISO;" + codes.map(NBPReader.isoCode(of:)).joined(separator: ";") + ";",
                      "nazwa waluty;" + codes.map { _ in "złoty" }.joined(separator: ";") + ";",
                      "liczba jednostek;" + codes.map { String(NBPReader.unitCount(of: $0) ?? 1) }.joined(separator: ";") + ";", ""]
        }
        return try writeFile(dir, name, cp1250Bytes(lines.joined(separator: "\r\n") + "\r\n"))
    }

    func testReadsOneFileWithUnitsTrailerAndCRLF() throws {
        let url = try archive("archiwum_tab_a_2021.csv", codes: ["1USD", "100HUF"],
                              rows: [("20210104", ["3,6998", "1,2605"]), ("20210105", ["3,7000", "1,2600"])])
        let s = try NBPReader.read(files: [url], currencies: ["USD", "HUF"])
        XCTAssertEqual(s.names, ["USD", "HUF"])
        XCTAssertEqual(s.timestamps, [dt(2021, 1, 4), dt(2021, 1, 5)])
        XCTAssertEqual(s["USD"], [3.6998, 3.7])
        XCTAssertEqual(s["HUF"][0], 1.2605 / 100, accuracy: 1e-15)
        let quoted = try NBPReader.read(files: [url], currencies: ["100HUF"], units: .asQuoted)
        XCTAssertEqual(quoted["HUF"], [1.2605, 1.26])
    }

    func testCombinesYearsSortedAndDeduplicated() throws {
        let a = try archive("archiwum_tab_a_2022.csv", codes: ["1USD"], rows: [("20220103", ["4,0424"]), ("20220104", ["4,0500"])])
        let b = try archive("archiwum_tab_a_2021.csv", codes: ["1USD"], rows: [("20211231", ["4,0600"]), ("20220103", ["4,0424"])])
        let s = try NBPReader.read(files: [a, b], currencies: ["USD"])
        XCTAssertEqual(s.timestamps, [dt(2021, 12, 31), dt(2022, 1, 3), dt(2022, 1, 4)])
        XCTAssertEqual(s["USD"], [4.06, 4.0424, 4.05])
        try archive("other.csv", codes: ["1USD"], rows: [("20200102", ["1,0"])])
        XCTAssertEqual(try NBPReader.read(pattern: dir.path, currencies: ["USD"]).count, 3)
        XCTAssertEqual(try NBPReader.read(pattern: dir.path, currencies: ["USD"], years: 2022...2022).count, 2)
        XCTAssertEqual(try NBPReader.read(pattern: dir.appendingPathComponent("archiwum_tab_a_202[1].csv").path, currencies: ["USD"]).count, 2)
        XCTAssertEqual(try NBPReader.files(matching: dir.appendingPathComponent("*.csv").path).count, 3)
    }

    func testMissingCurrencyNamesTheFile() throws {
        let a = try archive("archiwum_tab_a_2022.csv", codes: ["1USD", "1HRK"], rows: [("20220103", ["4,0", "0,6"])])
        let b = try archive("archiwum_tab_a_2023.csv", codes: ["1USD"], rows: [("20230102", ["4,3"])])
        assertThrows(.missingCurrency(file: b.path, code: "HRK", available: ["1USD"])) {
            try NBPReader.read(files: [a, b], currencies: ["USD", "HRK"])
        }
    }

    func testMalformedRows() throws {
        let text = try archive("t.csv", codes: ["1USD"], rows: [("20220103", ["4,0"]), ("20220104", ["brak"])])
        assertThrows(.invalidNumber(file: text.path, line: 4, column: 2, text: "brak")) { try NBPReader.read(files: [text], currencies: ["USD"]) }
        let date = try archive("d.csv", codes: ["1USD"], rows: [("20220103", ["4,0"]), ("2022014", ["4,1"])])
        assertThrows(.invalidDate(file: date.path, line: 4, column: 1, text: "2022014")) { try NBPReader.read(files: [date], currencies: ["USD"]) }
        let order = try archive("o.csv", codes: ["1USD"], rows: [("20220104", ["4,0"]), ("20220103", ["4,1"])])
        assertThrows(.outOfOrder(file: order.path, line: 4, previous: dt(2022, 1, 4), found: dt(2022, 1, 3))) {
            try NBPReader.read(files: [order], currencies: ["USD"])
        }
        let headers = try archive("h.csv", codes: ["1USD"], rows: [], trailer: false)
        assertThrows(.noDataRows(file: headers.path)) { try NBPReader.read(files: [headers], currencies: ["USD"]) }
        let notNBP = try writeText(dir, "x.csv", ["date;1USD", "20220103;4,0"])
        XCTAssertThrowsError(try NBPReader.read(files: [notNBP], currencies: ["USD"])) { e in
            XCTAssertTrue("\(e)".contains("x.csv") && "\(e)".contains("'data'"), "\(e)")
        }
    }

    func testRealArchivesUSD2021to2024() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("shared data folder absent") }
        let s = try NBPReader.read(pattern: shared.appendingPathComponent("nbp").path, currencies: ["USD"], years: 2021...2024)
        XCTAssertEqual(s.count, 1009)
        XCTAssertEqual(s.timestamps.first, dt(2021, 1, 4))
        XCTAssertEqual(s.timestamps.last, dt(2024, 12, 31))
        XCTAssertEqual(s["USD"].first, 3.6998)
        XCTAssertEqual(s["USD"].last, 4.1012)
        XCTAssertEqual(s.missingCount("USD"), 0)
        // HRK left after 2022: asking for it over 2021–2024 names the 2023 file.
        XCTAssertThrowsError(try NBPReader.read(pattern: shared.appendingPathComponent("nbp").path, currencies: ["HRK"], years: 2021...2024)) { e in
            XCTAssertTrue("\(e)".contains("archiwum_tab_a_2023.csv"), "\(e)")
        }
        let windows = try Windowing.make(s, target: "USD", spec: WindowSpec(lookback: 60, horizon: 1))
        XCTAssertEqual(windows.count, 1009 - 60)
        let (regular, report) = try Cleaning.regularize(s, frequency: .businessDay)
        XCTAssertEqual(regular.count, 1042)
        XCTAssertEqual(report.inserted, 33)
        print("USD 2021–2024: \(report.inserted) business-day holidays made explicit of \(regular.count) steps")
        let huf = try NBPReader.read(pattern: shared.appendingPathComponent("nbp").path, currencies: ["HUF"], years: 2021...2021)
        XCTAssertEqual(huf["HUF"][0], 0.012605, accuracy: 1e-12)
    }
}
