import XCTest
@testable import Forecast

final class CleaningTests: XCTestCase {
    func series(_ hours: [Int], _ values: [Double]) -> TimeSeries {
        TimeSeries(timestamps: hours.map { dt(2021, 1, 1).adding(hours: $0) }, name: "v", values: values)
    }

    func testRegularizeInsertsAndCountsMissingSteps() throws {
        let (r, report) = try Cleaning.regularize(series([0, 1, 4, 5], [1, 2, 5, 6]), frequency: .hourly)
        XCTAssertEqual(r.count, 6)
        XCTAssertEqual(report, RegularizationReport(steps: 6, present: 4, inserted: 2))
        XCTAssertEqual(r.timestamps[2], dt(2021, 1, 1, 2))
        XCTAssertTrue(r["v"][2].isNaN && r["v"][3].isNaN)
        XCTAssertEqual(Cleaning.gaps(in: r["v"]), [2..<4])
    }

    func testBusinessDaysSkipWeekendsAndOffGridIsAnError() throws {
        // 2021-01-01 is a Friday; next business day Monday 2021-01-04; Tuesday absent (holiday).
        let s = TimeSeries(timestamps: [dt(2021, 1, 1), dt(2021, 1, 4), dt(2021, 1, 6)], name: "v", values: [1, 2, 3])
        let (r, report) = try Cleaning.regularize(s, frequency: .businessDay)
        XCTAssertEqual(r.timestamps, [dt(2021, 1, 1), dt(2021, 1, 4), dt(2021, 1, 5), dt(2021, 1, 6)])
        XCTAssertEqual(report.inserted, 1)
        let weekend = TimeSeries(timestamps: [dt(2021, 1, 1), dt(2021, 1, 2)], name: "v", values: [1, 2])
        XCTAssertThrowsError(try Cleaning.regularize(weekend, frequency: .businessDay)) { e in
            XCTAssertEqual(e as? CleaningError, .offGrid(row: 1, timestamp: dt(2021, 1, 2), frequency: .businessDay))
        }
        XCTAssertNoThrow(try Cleaning.regularize(series([0], [1]), frequency: .daily)) // 00:00 is on the daily grid
        XCTAssertThrowsError(try Cleaning.regularize(TimeSeries(timestamps: [dt(2021, 1, 1, 0, 30)], name: "v", values: [1]), frequency: .hourly))
    }

    func testInterpolationFillsShortInteriorGapsOnly() {
        let v: [Double] = [.nan, 1, .nan, 3, .nan, .nan, .nan, 7, 8, .nan]
        let (out, filled) = Cleaning.interpolateLinear(v, maxGap: 2)
        XCTAssertEqual(filled, 1)
        XCTAssertEqual(out[2], 2)
        XCTAssertTrue(out[0].isNaN && out[4].isNaN && out[9].isNaN)
        let (all, n) = Cleaning.interpolateLinear(v, maxGap: 3)
        XCTAssertEqual(n, 4)
        XCTAssertEqual(Array(all[4...6]), [4, 5, 6])
    }

    func testSegmentsSplitAtGapsAndTimeJumps() throws {
        let s = series([0, 1, 2, 3, 4, 6, 7], [1, 2, .nan, 4, 5, 6, 7])
        XCTAssertEqual(try Cleaning.segments(s, columns: ["v"]), [0..<2, 3..<7])
        XCTAssertEqual(try Cleaning.segments(s, columns: ["v"], frequency: .hourly), [0..<2, 3..<5, 5..<7])
        XCTAssertEqual(try Cleaning.segments(s, columns: ["v"], frequency: .hourly, minLength: 3), [])
    }

    func testDailyMeanWithCoverageRule() {
        var times: [LocalDateTime] = [], values: [Double] = []
        for h in 0..<48 { times.append(dt(2021, 3, 1).adding(hours: h)); values.append(h < 24 ? Double(h) : (h < 24 + 17 ? 1 : .nan)) }
        let (d, missing) = Cleaning.dailyMean(TimeSeries(timestamps: times, name: "pm", values: values))
        XCTAssertEqual(d.timestamps, [dt(2021, 3, 1), dt(2021, 3, 2)])
        XCTAssertEqual(d["pm"][0], 11.5)
        XCTAssertTrue(d["pm"][1].isNaN) // 17 of 24 hours
        XCTAssertEqual(missing, 1)
        XCTAssertEqual(Cleaning.dailyMean(TimeSeries(timestamps: times, name: "pm", values: values), minimumHours: 17).series["pm"][1], 1)
    }
}
