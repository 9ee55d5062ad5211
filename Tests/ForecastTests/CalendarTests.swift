import XCTest
import Recurrent
@testable import Forecast

final class CalendarTests: XCTestCase {
    private func dt(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> LocalDateTime {
        LocalDateTime(year: y, month: m, day: d, hour: h, minute: mi)
    }

    func testEasterAndPolishHolidays() {
        XCTAssertEqual(PolishHolidays.easterSunday(year: 2019), dt(2019, 4, 21))
        XCTAssertEqual(PolishHolidays.easterSunday(year: 2024), dt(2024, 3, 31))
        XCTAssertEqual(PolishHolidays.easterSunday(year: 2025), dt(2025, 4, 20))
        XCTAssertEqual(PolishHolidays.easterSunday(year: 2038), dt(2038, 4, 25))  // latest possible
        XCTAssertTrue(PolishHolidays.contains(dt(2025, 4, 21)))   // Easter Monday
        XCTAssertTrue(PolishHolidays.contains(dt(2025, 6, 19)))   // Corpus Christi
        XCTAssertTrue(PolishHolidays.contains(dt(2025, 12, 24)))  // Christmas Eve from 2025
        XCTAssertFalse(PolishHolidays.contains(dt(2024, 12, 24)))
        XCTAssertFalse(PolishHolidays.contains(dt(2010, 1, 6)))   // Epiphany from 2011
        XCTAssertEqual(PolishHolidays.dates(in: 2025).count, 14)
    }

    func testPolishBusinessDaysSkipHolidays() {
        let pl = Frequency.polishBusinessDay
        XCTAssertEqual(pl.next(after: dt(2024, 12, 31)), dt(2025, 1, 2))
        XCTAssertEqual(pl.next(after: dt(2025, 1, 3)), dt(2025, 1, 7))    // Mon 6 January is Epiphany
        XCTAssertEqual(pl.next(after: dt(2025, 12, 23)), dt(2025, 12, 29))
        XCTAssertEqual(Frequency.businessDay.next(after: dt(2024, 12, 31)), dt(2025, 1, 1))
    }

    func testMonthStepsFollowTheCalendar() {
        XCTAssertEqual(Frequency.monthly.next(after: dt(2024, 12, 1)), dt(2025, 1, 1))
        XCTAssertEqual(Frequency.months(1, .end).next(after: dt(2024, 1, 31)), dt(2024, 2, 29))
        XCTAssertEqual(Frequency.months(3, .end).next(after: dt(2024, 12, 31)), dt(2025, 3, 31))
        XCTAssertEqual(Frequency.quarterly.next(after: dt(2024, 10, 1)), dt(2025, 1, 1))
        XCTAssertEqual(Frequency.yearly.next(after: dt(1999, 1, 1)), dt(2000, 1, 1))
        XCTAssertEqual(Frequency.weekly.next(after: dt(2024, 12, 30)), dt(2025, 1, 6))
        XCTAssertEqual(Frequency.minutes(30).next(after: dt(2024, 12, 31, 23, 30)), dt(2025, 1, 1))
    }

    func testNamesRoundTripAndSeasonalPeriods() {
        let all: [Frequency] = [.minutes(15), .minutes(30), .hourly, .daily, .businessDay, .polishBusinessDay, .weekly,
                                .monthly, .months(1, .end), .quarterly, .months(3, .end), .yearly, .months(12, .end), .months(6, .start)]
        for f in all { XCTAssertEqual(Frequency(name: f.description), f, f.description) }
        XCTAssertEqual(all.map(\.seasonalPeriod), [96, 48, 24, 7, 5, 5, 52, 12, 12, 4, 4, 1, 1, 2])
        XCTAssertNil(Frequency(name: "fortnightly"))
        XCTAssertNil(Frequency(name: "7min"))  // does not divide a day
    }

    func testInferenceFromTimeStamps() throws {
        func series(_ f: Frequency, from start: LocalDateTime, _ n: Int) -> [LocalDateTime] {
            var out = [start]
            while out.count < n { out.append(f.next(after: out.last!)) }
            return out
        }
        let cases: [(Frequency, LocalDateTime)] = [
            (.minutes(30), dt(2024, 1, 1)), (.hourly, dt(2024, 1, 1)), (.daily, dt(2024, 1, 1)),
            (.weekly, dt(2024, 1, 7)), (.monthly, dt(2020, 1, 1)), (.months(1, .end), dt(2020, 1, 31)),
            (.quarterly, dt(2000, 1, 1)), (.months(3, .end), dt(2000, 3, 31)), (.yearly, dt(1900, 1, 1)),
            (.polishBusinessDay, dt(2024, 1, 2)), (.businessDay, dt(2024, 1, 2)),
        ]
        for (f, start) in cases {
            var times = series(f, from: start, 300)
            if f == .businessDay { times.remove(at: 40) }  // a gap that is not a holiday keeps it plain business days
            else if f != .polishBusinessDay { times.remove(at: 17) }  // a missing row is a gap, not another calendar
            XCTAssertEqual(try Frequency.infer(times), f, f.description)
        }
        XCTAssertThrowsError(try Frequency.infer([dt(2024, 1, 1), dt(2024, 1, 3), dt(2024, 1, 6)])) { e in
            XCTAssertTrue("\(e)".contains("2024-01-06"), "\(e)")
        }
        XCTAssertThrowsError(try Frequency.infer([dt(2024, 1, 1), dt(2024, 1, 1, 1), dt(2024, 1, 1, 2, 30)]))
    }

    func testRegularizeRejectsRowsBetweenGridPoints() {
        let s = TimeSeries(timestamps: [dt(2024, 1, 1), dt(2024, 1, 8), dt(2024, 1, 10)], name: "v", values: [1, 2, 3])
        XCTAssertThrowsError(try Cleaning.regularize(s, frequency: .weekly)) { e in
            XCTAssertEqual(e as? CleaningError, .offGrid(row: 2, timestamp: dt(2024, 1, 10), frequency: .weekly))
        }
    }

    func testYearMonthTextIsTheMonthsFirstDay() {
        XCTAssertEqual(DateTimeParser.parse(Array("2024-12".utf8)), dt(2024, 12, 1))
    }

    /// Generated weekly, monthly (start and end), quarterly and yearly CSVs train, and their
    /// forecasts start one calendar step after the last row.
    func testGeneratedCalendarsTrainAndForecastWithCorrectDates() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(name: String, frequency: Frequency, start: LocalDateTime, nextAfterLast: (LocalDateTime) -> LocalDateTime)] = [
            ("weekly", .weekly, dt(2015, 1, 4), { $0.adding(days: 7) }),
            ("monthly", .monthly, dt(2010, 1, 1), { $0.month == 12 ? self.dt($0.year + 1, 1, 1) : self.dt($0.year, $0.month + 1, 1) }),
            ("monthly-end", .months(1, .end), dt(2010, 1, 31), { _ in self.dt(0, 0, 0) }),
            ("quarterly", .quarterly, dt(1980, 1, 1), { _ in self.dt(0, 0, 0) }),
            ("yearly", .yearly, dt(1850, 1, 1), { self.dt($0.year + 1, 1, 1) }),
        ]
        for c in cases {
            var times = [c.start]
            while times.count < 120 { times.append(c.frequency.next(after: times.last!)) }
            let lines = ["date,value"] + times.enumerated().map { k, t in "\(t),\(10 + 3 * sin(Double(k) * 0.7) + Double(k) * 0.05)" }
            let url = try writeText(dir, "\(c.name).csv", lines)
            let loaded = try SeriesSource().load([url.path])
            XCTAssertEqual(loaded.frequency, c.frequency, c.name)
            XCTAssertTrue(loaded.notes.contains { $0.contains("seasonal period \(c.frequency.seasonalPeriod)") }, c.name)
            var setup = ExperimentSetup(target: "value", lookback: 6, model: "lstm:4,dense:1")
            setup.frequency = loaded.frequency
            setup.epochs = 2
            let result = try Experiment.run(series: loaded.series, setup: setup, forecastSteps: 3, progress: .none)
            let future = try XCTUnwrap(result.future)
            let last = times.last!
            let expected = [c.frequency.next(after: last)]
            XCTAssertEqual(future.times.first ?? nil, expected[0], c.name)
            XCTAssertGreaterThan(expected[0], last)
            switch c.name {
            case "monthly", "yearly", "weekly": XCTAssertEqual(expected[0], c.nextAfterLast(last), c.name)
            case "monthly-end": XCTAssertEqual(expected[0].day, LocalDateTime.daysIn(month: expected[0].month, year: expected[0].year))
            default: XCTAssertEqual((expected[0].month - 1) % 3, 0)
            }
            XCTAssertEqual(future.values.count, 3)
            XCTAssertTrue(future.values.allSatisfy { $0.isFinite })
            XCTAssertEqual(setup.seasonalPeriod, c.frequency.seasonalPeriod)
        }
    }

    func testIrregularCSVGetsAClearMessage() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try writeText(dir, "odd.csv", ["date,v", "2024-01-01,1", "2024-01-04,2", "2024-01-09,3"])
        XCTAssertThrowsError(try SeriesSource().load([url.path])) { e in
            guard case .irregularTimeStamps(let files, let reason)? = e as? SettingProblem else { return XCTFail("\(e)") }
            XCTAssertEqual(files, [url.path])
            XCTAssertTrue(reason.contains("not a multiple of the 3-day step"), reason)
            let text = "\(e)"
            XCTAssertTrue(text.contains("odd.csv") && text.contains("give frequency") && !text.contains("--"), text)
        }
        var steps = SeriesSource()
        steps.frequency = .steps
        let loaded = try steps.load([url.path])
        XCTAssertNil(loaded.frequency)
        XCTAssertTrue(loaded.rowsAreSteps)
    }
}
