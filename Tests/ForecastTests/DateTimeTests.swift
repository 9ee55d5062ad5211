import XCTest
@testable import Forecast

final class DateTimeTests: XCTestCase {
    func testOrdinalRoundTripAndWeekday() {
        for z in stride(from: -800_000, through: 800_000, by: 997) {
            let t = LocalDateTime(secondsOrdinal: z * 86_400 + 3_661)
            XCTAssertEqual(t.secondsOrdinal, z * 86_400 + 3_661)
            XCTAssertTrue(t.isValid)
        }
        XCTAssertEqual(dt(1970, 1, 1).secondsOrdinal, 0)
        XCTAssertEqual(dt(2024, 12, 31).weekday, 2) // Tuesday
        XCTAssertEqual(dt(2021, 1, 4).weekday, 1)   // Monday
        XCTAssertEqual(dt(2024, 2, 28).adding(days: 1), dt(2024, 2, 29))
        XCTAssertEqual(dt(2023, 12, 31, 23).adding(hours: 1), dt(2024, 1, 1))
        XCTAssertEqual(LocalDateTime(secondsOrdinal: -1), LocalDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        XCTAssertEqual(dt(2021, 3, 7, 5, 30).description, "2021-03-07 05:30:00")
        XCTAssertEqual(dt(2021, 3, 7).description, "2021-03-07")
    }

    func testParsesCommonFormats() {
        let cases: [(String, LocalDateTime)] = [
            ("2021-01-04", dt(2021, 1, 4)),
            ("2021-01-04 13:05", dt(2021, 1, 4, 13, 5)),
            ("2021-01-04 13:05:07", LocalDateTime(year: 2021, month: 1, day: 4, hour: 13, minute: 5, second: 7)),
            ("2021-01-04T13:05:00", dt(2021, 1, 4, 13, 5)),
            ("20210104", dt(2021, 1, 4)),
            ("04.01.2021", dt(2021, 1, 4)),
            ("4.1.2021 7:00", dt(2021, 1, 4, 7)),
            ("2021/01/04", dt(2021, 1, 4)),
            (" \"2021-01-04\" ", dt(2021, 1, 4)),
            ("2021-12-31 24:00:00", dt(2022, 1, 1)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DateTimeParser.parse(Array(text.utf8)), expected, text)
        }
    }

    func testRejectsMalformedDates() {
        for text in ["", "2021-13-01", "2021-02-29", "2021-01-04 25:00", "2021-01-04 24:30", "2021-01-04Z",
                     "2021-01-04T10:00:00+01:00", "abc", "2021-1", "202101", "04/01/2021", "2021-01-04 10"] {
            XCTAssertNil(DateTimeParser.parse(Array(text.utf8)), text)
        }
    }

    func testExcelSerial() {
        XCTAssertEqual(DateTimeParser.fromExcelSerial(44197), dt(2021, 1, 1))
        XCTAssertEqual(DateTimeParser.fromExcelSerial(44197.041666666664), dt(2021, 1, 1, 1))
        XCTAssertEqual(DateTimeParser.fromExcelSerial(44561.958333333336), dt(2021, 12, 31, 23))
        XCTAssertNil(DateTimeParser.fromExcelSerial(.nan))
    }
}
