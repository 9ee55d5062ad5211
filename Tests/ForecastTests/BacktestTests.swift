import XCTest
@testable import Forecast

final class BacktestTests: XCTestCase {
    private func ramp(_ n: Int) -> TimeSeries {
        let start = LocalDateTime(year: 2022, month: 1, day: 1)
        let values: [Double] = (0..<n).map { i in
            let wave: Double = sin(Double(i) / 4)
            return 5 + wave + 0.05 * Double(i % 3)
        }
        return TimeSeries(timestamps: (0..<n).map { start.adding(days: $0) }, name: "y", values: values)
    }

    private func setup() -> ExperimentSetup {
        var s = ExperimentSetup(target: "y", lookback: 4, model: "lstm:2,dense:1")
        s.epochs = 1
        s.frequency = .daily
        return s
    }

    func testExpandingFoldsCoverTheRestOnceAndTrainOnEverythingBefore() throws {
        var o = BacktestOptions()
        o.start = 0.5
        o.folds = 3
        let r = try Backtest.run(series: ramp(64), setup: setup(), options: o)
        // 60 windows: the first 30 only train; 30 test windows in folds of 10.
        XCTAssertEqual(r.folds.map(\.testWindows), [30..<40, 40..<50, 50..<60])
        XCTAssertEqual(r.folds.map(\.trainWindows), [0..<30, 0..<40, 0..<50])
        XCTAssertTrue(r.folds.allSatisfy { $0.trained && $0.epochsRun == 1 })
        XCTAssertEqual(r.folds[1].firstTime, LocalDateTime(year: 2022, month: 1, day: 1).adding(days: 44))
    }

    func testSlidingWindowKeepsItsLengthAndNoRefitTrainsOnce() throws {
        var o = BacktestOptions()
        o.start = 0.5
        o.foldSize = 12
        o.window = .sliding
        o.trainWindows = 20
        o.refit = false
        let r = try Backtest.run(series: ramp(64), setup: setup(), options: o)
        XCTAssertEqual(r.folds.map(\.testWindows), [30..<42, 42..<54, 54..<60])
        XCTAssertEqual(r.folds.map(\.trainWindows), [10..<30, 22..<42, 34..<54])
        XCTAssertEqual(r.folds.map(\.trained), [true, false, false])
        XCTAssertEqual(r.folds.map(\.epochsRun), [1, 0, 0])
    }

    func testPooledPersistenceMatchesItsDefinition() throws {
        var o = BacktestOptions()
        o.start = 0.7
        o.folds = 2
        let series = ramp(50)
        let r = try Backtest.run(series: series, setup: setup(), options: o)
        let y = series["y"]
        // Persistence predicts each test target by the value before it.
        let rows = r.folds.flatMap { $0.result.testRows.map { $0[0] } }
        let errors = rows.map { y[$0] - y[$0 - 1] }
        let rmse = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
        XCTAssertEqual(try XCTUnwrap(r.summary("persistence")).pooled.rmse, rmse, accuracy: 1e-12)
        XCTAssertEqual(rows, Array(rows.first!...rows.last!), "folds are contiguous and do not overlap")
        XCTAssertEqual(r.summary.first?.name, "model")
    }

    func testOptionsAreChecked() {
        var o = BacktestOptions()
        o.start = 1
        XCTAssertThrowsError(try Backtest.run(series: ramp(40), setup: setup(), options: o))
        o.start = 0.02
        XCTAssertThrowsError(try Backtest.run(series: ramp(40), setup: setup(), options: o)) { e in
            XCTAssertTrue("\(e)".contains("no training"), "\(e)")
        }
    }
}
