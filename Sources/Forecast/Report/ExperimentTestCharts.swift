import Charts
import Foundation

/// The test-period charts of an experiment report. A long test part (the hourly PM10 model
/// has 6,392 points) is unreadable as one line chart, so it is drawn as its last stretch
/// (two weeks of hours) plus an overview of bucket means with the actual values' min–max band.
extension ExperimentCharts {
    /// Test parts with more points than this are drawn as a window plus an overview.
    static let readableTestPoints = 600

    /// Points in the readable window: two weeks of an hourly series, else the last 336 steps.
    static func testWindowLength(_ r: ExperimentResult) -> Int {
        r.setup.frequency == .hourly ? 14 * 24 : 336
    }

    /// Whether the test chart shows only the end of the test part.
    static func testIsWindowed(_ r: ExperimentResult) -> Bool { r.testRows.count > readableTestPoints }

    /// "the last 14 days" / "the last 336 steps" of the test part, for titles and captions.
    static func testWindowName(_ r: ExperimentResult) -> String {
        r.setup.frequency == .hourly ? "the last 14 days" : "the last \(testWindowLength(r)) steps"
    }

    /// The methods drawn beside the actual values: the model, persistence and the best baseline.
    static func shownMethods(_ r: ExperimentResult) -> [MethodForecast] {
        let best = r.bestBaseline?.name
        return r.methods.filter { $0.name == "model" || $0.name == "persistence" || $0.name == best }
    }

    /// What the test chart draws, for its caption: the best baseline is named, and not
    /// promised as a line of its own when it is persistence.
    static func testLines(_ r: ExperimentResult) -> String {
        guard let best = r.bestBaseline?.name, best != "persistence" else {
            return "actual values, the model and persistence (next = last), the best baseline"
        }
        return "actual values, the model, persistence (next = last) and the best baseline (\(best))"
    }

    /// Actual vs predicted on the test period, or on its last stretch when the part is long.
    static func testPeriod(_ r: ExperimentResult) -> String {
        let (xAxis, yAxis) = axes(r)
        let n = r.testRows.count
        let shown = testIsWindowed(r) ? (n - testWindowLength(r))..<n : 0..<n
        let what = r.setup.horizon == 1 ? "one step ahead" : "first of \(r.setup.horizon) steps"
        let title = testIsWindowed(r) ? "Test period, \(testWindowName(r)) of \(n) points: actual vs predicted (\(what))"
                                      : "Test period: actual vs predicted (\(what))"
        var chart = LineChart(title: title, width: 900, height: 420, x: xAxis, y: yAxis, legend: .bottom)
        let rows = shown.map { r.testRows[$0][0] }, times = shown.map { Optional(r.testTimes[$0][0]) }
        for band in IntervalReport.testBands(r, shown: shown) { chart.add(band) }
        chart.add(seriesLine("actual", r, rows: rows, times: times, y: shown.map { r.actual[$0][0] }, color: palette[0], width: 2))
        for (k, m) in shownMethods(r).enumerated() {
            let label = "\(m.name) (RMSE \(fmt(m.metrics.rmse))\(testIsWindowed(r) ? " on the whole test part" : ""))"
            chart.add(seriesLine(label, r, rows: rows, times: times, y: shown.map { m.paths[$0][0] }, color: palette[k + 1],
                                 dash: m.name == "model" ? .solid : .dashed))
        }
        return chart.svg()
    }

    /// Steps per overview bucket: a day of an hourly series, else enough for about 250 buckets.
    static func overviewBucket(_ r: ExperimentResult) -> Int {
        r.setup.frequency == .hourly ? 24 : max(1, Int((Double(r.testRows.count) / 250).rounded(.up)))
    }

    /// The whole long test part in bucket means (the actual values' min–max as a band), or nil
    /// when the test part is short enough to read as it is.
    static func testOverview(_ r: ExperimentResult) -> String? {
        guard testIsWindowed(r) else { return nil }
        let (xAxis, yAxis) = axes(r)
        let size = overviewBucket(r), n = r.testRows.count
        let buckets = stride(from: 0, to: n, by: size).map { $0..<min($0 + size, n) }
        let unit = r.setup.frequency == .hourly && size == 24 ? "daily" : "\(size)-step"
        var chart = LineChart(title: "Test period overview: \(unit) means of all \(n) points", width: 900, height: 420,
                              x: xAxis, y: yAxis, legend: .bottom)
        let centre = buckets.map { b in r.testRows[b.lowerBound + b.count / 2][0] }
        let centreTimes = buckets.map { b in Optional(r.testTimes[b.lowerBound + b.count / 2][0]) }
        let x = xs(r, rows: centre, times: centreTimes)
        func mean(_ v: (Int) -> Double, _ b: Range<Int>) -> Double {
            let values = b.map(v).filter(\.isFinite)
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
        let actual = { (i: Int) in r.actual[i][0] }
        var band = LineBand("actual, min–max within each bucket", x: x,
                            lower: buckets.map { b in b.map(actual).filter(\.isFinite).min() ?? .nan },
                            upper: buckets.map { b in b.map(actual).filter(\.isFinite).max() ?? .nan },
                            color: palette[0], opacity: 0.18)
        band.xIsDate = r.setup.frequency != nil
        chart.add(band)
        chart.add(seriesLine("actual (mean)", r, rows: centre, times: centreTimes, y: buckets.map { mean(actual, $0) }, color: palette[0], width: 1.6))
        if let model = r.method("model") {
            chart.add(seriesLine("model (mean)", r, rows: centre, times: centreTimes,
                                 y: buckets.map { mean({ model.paths[$0][0] }, $0) }, color: palette[1], width: 1.6))
        }
        return chart.svg()
    }
}
