import XCTest
import Recurrent
@testable import Forecast

final class ExperimentSourceAndSplitTests: XCTestCase {
    func testDateSplitPutsWindowsFromTheTestDateInTheTestPart() throws {
        let start = LocalDateTime(year: 2023, month: 1, day: 1)
        let series = TimeSeries(timestamps: (0..<40).map { start.adding(days: $0) }, name: "y", values: (0..<40).map { Double($0 % 5) })
        var s = ExperimentSetup(target: "y", lookback: 3, model: "lstm:2,dense:1")
        s.frequency = .daily
        s.testFrom = "2023-02-01"
        s.validationFrom = "2023-01-25"
        let data = try PreparedData(series: series, setup: s)
        let firstTimes = data.windows.targetTimes.map { $0[0] }
        XCTAssertEqual(firstTimes[data.testIndices.lowerBound], LocalDateTime(year: 2023, month: 2, day: 1))
        XCTAssertEqual(firstTimes[data.validationIndices.lowerBound], LocalDateTime(year: 2023, month: 1, day: 25))
        XCTAssertEqual(data.testIndices.count, 9)       // 1–9 February
        XCTAssertEqual(data.validationIndices.count, 7) // 25–31 January
        XCTAssertEqual(data.trainIndices.upperBound, data.validationIndices.lowerBound)
        s.validationFrom = "2023-03-01"
        XCTAssertThrowsError(try s.validate())
    }

    func testRowsAreStepsLetWindowsSpanCalendarGaps() throws {
        // Business days with a holiday missing (Wed 2023-01-04): with rows as steps the
        // windows run through it; on the strict calendar they break there.
        var times: [LocalDateTime] = []
        var t = LocalDateTime(year: 2023, month: 1, day: 2)
        while times.count < 20 { if t != LocalDateTime(year: 2023, month: 1, day: 4) { times.append(t) }; t = Frequency.businessDay.next(after: t) }
        let series = TimeSeries(timestamps: times, name: "USD", values: (0..<20).map { 4 + Double($0) / 100 })
        var s = ExperimentSetup(target: "USD", lookback: 3, model: "lstm:2,dense:1")
        s.frequency = .businessDay
        let strict = try PreparedData(series: series, setup: s)
        s.rowsAreSteps = true
        let rows = try PreparedData(series: series, setup: s)
        XCTAssertEqual(rows.windows.count, 17)
        XCTAssertEqual(strict.windows.count, 15)  // the first segment (2 rows) is too short for a window
    }

    func testSeriesSourceCleansAndCountsWhatItDid() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("src-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var lines = ["time,pm"]
        for h in 0..<72 where !(30...31).contains(h) && !(40...45).contains(h) {
            lines.append(String(format: "2023-05-%02d %02d:00,%d", 1 + h / 24, h % 24, h))
        }
        let url = dir.appendingPathComponent("h.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        var source = SeriesSource()
        source.fillGaps = 2
        let hourly = try source.load([url.path])
        XCTAssertEqual(hourly.frequency, .hourly)
        XCTAssertEqual(hourly.insertedSteps, 8)
        XCTAssertEqual(hourly.gapsFilled, 2)          // 30–31 filled; 40–45 is longer than 2
        XCTAssertEqual(hourly.series["pm"][30], 30, accuracy: 1e-12)
        XCTAssertEqual(hourly.series.missingCount("pm"), 6)

        source.resample = .daily
        source.fillGaps = 0
        source.to = "2023-05-02"
        let daily = try source.load([url.path])
        XCTAssertEqual(daily.series.count, 2)           // --to includes its whole day
        XCTAssertEqual(daily.series["pm"][0], Double((0..<24).reduce(0, +)) / 24, accuracy: 1e-12)
        XCTAssertTrue(daily.series["pm"][1].isNaN)     // 16 of 24 hours: under the 18-hour rule

        // An unknown format is refused when a stored source is read, naming the known ones.
        XCTAssertThrowsError(try JSONDecoder().decode(SeriesSource.self, from: Data(#"{"format": "xls", "minimumHours": 18, "fillGaps": 0}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("expected csv, nbp, gios or long, got 'xls'"), "\($0)")
        }
    }

    func testSetupWithSourceRoundTripsThroughTheModelFile() throws {
        var s = ExperimentSetup(target: "y", lookback: 2, model: "lstm:2,dense:1")
        var source = SeriesSource(format: .csv, column: "y")
        source.fillGaps = 3
        source.resample = .daily
        s.source = source
        s.testFrom = "2024-01-01"
        s.rowsAreSteps = true
        let model = try ModelSpec.model(s.model)
        var built = model
        try built.build(inputShape: [2, 1], seed: 1)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).safetensors")
        try ForecastModelFile.save(built, setup: s, scalings: [AffineScaling(column: "y", offset: 0, factor: 1)], to: url)
        XCTAssertEqual(try ForecastModelFile.load(from: url).setup, s)
    }
}
