import Charts
import Foundation
import XCTest
@testable import Forecast

/// What a reader sees in the reports: tables that fit, links between reports, captions that
/// match their charts, long test parts drawn readably, no fake spread from one seed.
final class ReportReadabilityTests: XCTestCase {
    /// An hourly series with a daily cycle, `hours` long, column `PM10`.
    static func hourlySeries(hours: Int) -> TimeSeries {
        let start = LocalDateTime(year: 2024, month: 1, day: 1)
        let values = (0..<hours).map { (h: Int) -> Double in
            let cycle: Double = 10 * sin(2 * Double.pi * Double(h) / 24)
            return 30 + cycle + Double((h * 7919) % 13) / 13
        }
        return TimeSeries(timestamps: (0..<hours).map { start.adding(hours: $0) }, name: "PM10", values: values)
    }

    static func setup(epochs: Int = 1) -> ExperimentSetup {
        var s = ExperimentSetup(target: "PM10", lookback: 24, model: "rnn:2,dense:1")
        s.frequency = .hourly
        s.unit = "µg/m³"
        s.epochs = epochs
        s.seed = 1
        return s
    }

    static func report(_ r: ExperimentResult, series: TimeSeries) throws -> (html: String, files: [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-readability-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ExperimentReport.write(r, series: series, to: dir, title: "t", command: "rnn train", modelPath: nil)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        return (html, try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted())
    }

    func testTablesScrollAndNumberCellsNeverWrap() {
        var t = Table(header: ["method", "RMSE", "from", "note"])
        t.addRow([.text("Conv1D+LSTM"), .text("8.610 ± 0.070"), .text("2023-06-06"), .text("a long sentence about the method, which may wrap")])
        t.addRow([.text("persistence"), .text("1.864e-01"), .text("2023-06-07"), .text("2023-06-08")])
        var section = HTMLReport.Section("Ranking")
        section.table(t)
        let html = HTMLReport(title: "r", sections: [section]).html()
        XCTAssertTrue(html.contains("<div class=\"table-wrap\">\n<table>"), "a table sits in a scroll box")
        // Columns of numbers printed as text are numeric columns: right-aligned, never wrapped.
        XCTAssertTrue(html.contains("<th class=\"num\">RMSE</th>"))
        XCTAssertTrue(html.contains("<td class=\"num\">8.610 ± 0.070</td>"))
        XCTAssertTrue(html.contains("<td class=\"num\">2023-06-06</td>"))
        XCTAssertTrue(html.contains("<td class=\"num\">1.864e-01</td>"))
        // A number in a column of text does not wrap either.
        XCTAssertTrue(html.contains("<td class=\"nowrap\">2023-06-08</td>"))
        XCTAssertTrue(html.contains("<td>a long sentence about the method, which may wrap</td>"), "long text may wrap")
        XCTAssertTrue(html.contains("<td class=\"nowrap\">Conv1D+LSTM</td>"), "a short label stays on one line")
        XCTAssertTrue(html.contains("td.num, th.num, td.nowrap") && html.contains("white-space: nowrap"))
        XCTAssertTrue(html.contains("overflow-x: auto"))
        XCTAssertTrue(html.contains("max-width: 1180px"), "the page uses the width of a 1280 px window")
    }

    func testLinksToOtherReportsAreRelativeAndEscaped() {
        var section = HTMLReport.Section("Daily and hourly")
        section.paragraph([.text("Full reports: "), .link("daily/report.html", href: "daily/report.html"), .text(" & "),
                           .link("a \"b\"", href: "x/<y>.html")])
        let html = HTMLReport(title: "r", sections: [section]).html()
        XCTAssertTrue(html.contains("<p>Full reports: <a href=\"daily/report.html\">daily/report.html</a> &amp; <a href=\"x/&lt;y&gt;.html\">a &quot;b&quot;</a></p>"), html)
        XCTAssertNotNil(XMLCollector.parse(html).all("a").first)
    }

    func testShortRunCaptionsSayNoValidationNoForecastAndNoBestEpoch() throws {
        let series = Self.hourlySeries(hours: 400)
        let r = try Experiment.run(series: series, setup: Self.setup(epochs: 2), progress: .none)
        XCTAssertNil(r.future)
        let (html, files) = try Self.report(r, series: series)
        XCTAssertFalse(html.contains("(dashed)"), "no forecast is drawn, so the caption must not promise one")
        XCTAssertFalse(html.contains("predictions and forecast"), "nor the chart's title")
        XCTAssertFalse(html.contains("validation loss"), "no validation line")
        XCTAssertTrue(html.contains("Training loss per epoch (on the scaled target); there is no validation part."))
        XCTAssertFalse(html.contains(">best epoch<"), "without validation there is no best-epoch marker")
        XCTAssertFalse(files.contains("test-overview.svg"), "a short test part is drawn whole")
        XCTAssertTrue(html.contains("Test period only: actual values"))
        let best = try XCTUnwrap(r.bestBaseline?.name)
        XCTAssertTrue(html.contains(best == "persistence" ? "persistence (next = last), the best baseline." : "the best baseline (\(best))."),
                      "the caption names the lines the chart draws")
    }

    func testValidationAndForecastAreCaptionedWhenTheyAreDrawn() throws {
        let series = Self.hourlySeries(hours: 400)
        var setup = Self.setup(epochs: 3)
        setup.validationFraction = 0.1
        setup.trainFraction = 0.7
        setup.earlyStoppingPatience = 5
        let r = try Experiment.run(series: series, setup: setup, forecastSteps: 12, progress: .none)
        let (html, _) = try Self.report(r, series: series)
        XCTAssertTrue(html.contains("the forecast beyond the data (dashed)"))
        XCTAssertTrue(html.contains("history, test-period predictions and forecast"))
        XCTAssertTrue(html.contains("Training and validation loss per epoch"))
        XCTAssertTrue(html.contains("the dashed line marks the epoch with the lowest validation loss, whose weights were kept."))
        XCTAssertTrue(html.contains(">best epoch<"))
    }

    func testALongHourlyTestPartIsDrawnAsTwoWeeksPlusAnOverview() throws {
        let series = Self.hourlySeries(hours: 4_000)
        let r = try Experiment.run(series: series, setup: Self.setup(), progress: .none)
        let n = r.testRows.count
        XCTAssertGreaterThan(n, ExperimentCharts.readableTestPoints)
        let (html, files) = try Self.report(r, series: series)
        XCTAssertTrue(files.contains("test-overview.svg"))
        XCTAssertTrue(html.contains("Test period, the last 14 days of \(n) points"))

        let window = XMLCollector.parse(ExperimentCharts.testPeriod(r))
        let lines = window.all("path").filter { $0.attributes["class"]?.hasPrefix("series-") ?? false }
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            // Each line has at most two weeks of hourly points (the M command plus one L per point).
            XCTAssertLessThanOrEqual(line.attributes["d"]!.split(separator: "L").count, 14 * 24)
        }
        let overview = try XCTUnwrap(ExperimentCharts.testOverview(r))
        let doc = XMLCollector.parse(overview)
        let mean = doc.all("path").filter { $0.attributes["class"] == "series-0" }
        let points = mean.map { $0.attributes["d"]!.split(separator: "L").count }.reduce(0, +)
        XCTAssertEqual(points, (n + 23) / 24, "one point per day of the test part")
        XCTAssertEqual(doc.all("polygon").filter { $0.attributes["class"] == "band-0" }.count, 1, "the min–max band")
        // The band encloses the daily mean of the actual values.
        let first = Array(0..<24).map { r.actual[$0][0] }
        XCTAssertLessThanOrEqual(first.min()!, first.reduce(0, +) / 24)
    }

    func testAComparisonOfDifferentTargetsRanksNothing() throws {
        let series = Self.hourlySeries(hours: 400)
        let a = try Experiment.run(series: series, setup: Self.setup(), progress: .none)
        var daily = Self.setup()
        daily.lookback = 12
        let b = try Experiment.run(series: series, setup: daily, progress: .none)
        let links: [HTMLReport.Inline] = [.link("daily/report.html", href: "daily/report.html")]
        let different = ExperimentComparison.section(heading: "h", intro: links, variants: [("daily", a), ("hourly", b)], sameTarget: false)
        let same = ExperimentComparison.section(heading: "h", intro: links, variants: [("levels", a), ("difference", b)])
        let differentHTML = HTMLReport(title: "t", sections: [different]).html()
        XCTAssertFalse(differentHTML.contains("class=\"num best\""), "no variant is highlighted as best across targets")
        XCTAssertTrue(differentHTML.contains("forecast different targets"))
        XCTAssertTrue(differentHTML.contains("<a href=\"daily/report.html\">"))
        XCTAssertTrue(HTMLReport(title: "t", sections: [same]).html().contains("class=\"num best\""))
    }

    func testAOneSeedStudyReportShowsNoSpread() throws {
        let start = LocalDateTime(year: 2021, month: 1, day: 1)
        let values = (0..<120).map { (d: Int) -> Double in
            let cycle: Double = 8 * sin(2 * Double.pi * Double(d) / 7)
            return 30 + cycle + Double((d * 37) % 11) / 3
        }
        let series = TimeSeries(timestamps: (0..<120).map { start.adding(days: $0) }, name: "PM10", values: values)
        var grid = StudyGrid(architectures: [StudyArchitecture(name: "rnn4", spec: "rnn:4,dense:1")])
        grid.epochs = 2
        grid.patience = 2
        let plan = StudyPlan(dataName: "synthetic", frequency: .daily, column: "PM10", unit: "µg/m³", lookback: 7, horizon: 1, seeds: 1, grid: grid)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("one-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var runner = StudyRunner(plan: plan, series: series, folder: StudyFolder(dir))
        runner.workers = 1
        XCTAssertEqual(try runner.run().trained, 1)
        let folder = StudyFolder(dir)
        let summary = StudySummary(plan: plan, reference: try XCTUnwrap(folder.readReference()), trials: try folder.readTrials())
        let html = StudyReport.html(summary, command: "rnn study", wallSeconds: nil).html()
        XCTAssertFalse(html.contains("±"), "one seed has no spread to show")
        XCTAssertTrue(html.contains("Test metrics of one seed per architecture"))
        XCTAssertTrue(summary.verdict.contains("from one seed"))
        XCTAssertFalse(summary.markdownTable.contains("±"))
    }

    func testOneSeedShowsNoSpread() {
        XCTAssertEqual(StudySummary.pm(MeanSD([8.61]), 3, runs: 1), "8.610")
        XCTAssertEqual(StudySummary.pm(MeanSD([8.0, 9.0]), 3, runs: 2), "8.500 ± 0.707")
        XCTAssertEqual(StudySummary.pm(MeanSD([]), 3, runs: 0), "—")
    }
}
