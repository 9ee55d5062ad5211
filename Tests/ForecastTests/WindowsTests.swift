import XCTest
@testable import Forecast

final class WindowsTests: XCTestCase {
    /// 12 hourly rows, value = row index, with a missing value at row 6.
    func series() -> TimeSeries {
        var values = (0..<12).map(Double.init)
        values[6] = .nan
        let times = (0..<12).map { dt(2021, 1, 4).adding(hours: $0) }
        return TimeSeries(timestamps: times, columns: [("y", values), ("x", values.map { $0 * 10 })])
    }

    func testCountsShapesAndNoGapCrossing() throws {
        let w = try Windowing.make(series(), target: "y", spec: WindowSpec(lookback: 3, horizon: 2))
        // Segments 0..<6 (6 rows) and 7..<12 (5 rows): 6−5+1 = 2 and 5−5+1 = 1 windows.
        XCTAssertEqual(w.count, 3)
        XCTAssertEqual(w.inputs.shape, [3, 3, 1])
        XCTAssertEqual(w.targets.shape, [3, 2])
        XCTAssertEqual(w.targetRows, [[3, 4], [4, 5], [10, 11]])
        XCTAssertEqual(w.targetHistories[2], [7, 8, 9])
        XCTAssertEqual(w.targetRowsValues[2], [10, 11])
        XCTAssertEqual(w.lastInputRows, [2, 3, 9])
        XCTAssertEqual(w.targetTimes[0], [dt(2021, 1, 4, 3), dt(2021, 1, 4, 4)])
        for rows in w.targetRows { XCTAssertFalse(rows.contains(6)) }
    }

    func testSingleOutputStrideFeaturesAndCalendar() throws {
        let spec = WindowSpec(lookback: 2, horizon: 3, output: .single, stride: 2)
        let w = try Windowing.make(series(), target: "y", features: ["x"], calendar: [.hour, .weekday, .month], spec: spec)
        // Segment 0..<6: starts 0 (needs 5 rows ≤ 6) → 1 window; starts 2 needs rows to 7 → no. Segment 7..<12: start 7 → 1.
        XCTAssertEqual(w.count, 2)
        XCTAssertEqual(w.featureNames, ["y", "x", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "month_sin", "month_cos"])
        XCTAssertEqual(w.inputs.shape, [2, 2, 8])
        XCTAssertEqual(w.targets.scalars, [4, 11])
        XCTAssertEqual(w.inputs[0, 1, 1], 10)
        XCTAssertEqual(w.inputs[0, 0, 2], 0, accuracy: 1e-7)   // hour 0: sin 0
        XCTAssertEqual(w.inputs[0, 0, 3], 1, accuracy: 1e-7)   // cos 0
        XCTAssertEqual(w.inputs[0, 0, 4], 0, accuracy: 1e-7)   // Monday
        XCTAssertEqual(w.inputs[0, 1, 2], Float(sin(2 * Double.pi / 24)), accuracy: 1e-7)
    }

    func testTimeJumpsSplitWhenFrequencyGiven() throws {
        let times = [0, 1, 2, 5, 6, 7].map { dt(2021, 1, 4).adding(hours: $0) }
        let s = TimeSeries(timestamps: times, name: "y", values: [0, 1, 2, 5, 6, 7])
        XCTAssertEqual(try Windowing.make(s, target: "y", spec: WindowSpec(lookback: 2)).count, 4)
        XCTAssertEqual(try Windowing.make(s, target: "y", spec: WindowSpec(lookback: 2), frequency: .hourly).count, 2)
        XCTAssertThrowsError(try Windowing.make(s, target: "nope", spec: WindowSpec(lookback: 2)))
        XCTAssertThrowsError(try Windowing.make(s, target: "y", spec: WindowSpec(lookback: 0)))
    }

    func testChronologicalSplits() throws {
        let s = try ChronologicalSplit.fractions(rowCount: 10, train: 0.6, validation: 0.2)
        XCTAssertEqual(s, ChronologicalSplit(train: 0..<6, validation: 6..<8, test: 8..<10))
        XCTAssertThrowsError(try ChronologicalSplit.fractions(rowCount: 10, train: 0.9, validation: 0.2))
        let byDate = try ChronologicalSplit.dates(series(), validationStart: dt(2021, 1, 4, 5), testStart: dt(2021, 1, 4, 9))
        XCTAssertEqual(byDate, ChronologicalSplit(train: 0..<5, validation: 5..<9, test: 9..<12))
        let w = try Windowing.make(series(), target: "y", spec: WindowSpec(lookback: 2, horizon: 1))
        let parts = w.split(byDate)
        XCTAssertEqual(parts.train.targetRows, [[2], [3], [4]])
        XCTAssertEqual(parts.validation.targetRows, [[5]])
        XCTAssertEqual(parts.test.targetRows, [[9], [10], [11]])
        let two = try Windowing.make(series(), target: "y", spec: WindowSpec(lookback: 2, horizon: 2)).split(byDate)
        XCTAssertFalse(two.train.targetRows.contains([4, 5])) // straddles train/validation: dropped
        XCTAssertEqual(two.train.inputs.shape[0], two.train.count)
    }
}
