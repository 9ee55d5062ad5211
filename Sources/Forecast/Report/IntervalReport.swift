import Charts
/// The prediction intervals in metrics.json, the report table and the charts' fans.
enum IntervalReport {
    static func table(_ i: ForecastIntervals, unit: String) -> Table {
        var t = Table(header: ["nominal", "coverage", "mean width", "pinball loss", "test values"],
                      caption: "Model prediction intervals on the test part: \(i.method == .adaptive ? "split conformal on errors scaled by each window's recent mean absolute change" : "plain split conformal"), radii from \(i.calibrationWindows) validation windows' errors per step\(unit.isEmpty ? "" : "; widths and losses in \(unit)"). Pinball: mean loss of the two bounds as quantiles.")
        for m in i.metrics {
            t.addRow([.text("\(ForecastIntervals.label(m.level)) %"), .text(String(format: "%.1f %%", m.coverage * 100)),
                      .number(m.meanWidth, 4), .number(m.pinball, 4), .text("\(m.count)")])
        }
        return t
    }

    /// Fans (widest first) of the first forecast step over the test windows.
    static func testBands(_ r: ExperimentResult, shown: Range<Int>? = nil) -> [LineBand] {
        guard let i = r.intervals else { return [] }
        let shown = shown ?? 0..<r.testRows.count
        let rows = shown.map { r.testRows[$0][0] }, times = shown.map { Optional(r.testTimes[$0][0]) }
        let x = ExperimentCharts.xs(r, rows: rows, times: times)
        return i.test.sorted { $0.level > $1.level }.map { b in
            var band = LineBand("model \(ForecastIntervals.label(b.level)) % interval", x: x, lower: shown.map { b.lower[$0][0] }, upper: shown.map { b.upper[$0][0] },
                                color: ExperimentCharts.palette[1], opacity: b.level > 0.9 ? 0.15 : 0.3)
            band.xIsDate = r.setup.frequency != nil
            return band
        }
    }

    /// Fans of the future forecast.
    static func futureBands(_ r: ExperimentResult) -> [LineBand] {
        guard let f = r.future, let bounds = r.intervals?.future else { return [] }
        let x = ExperimentCharts.xs(r, rows: f.rows, times: f.times)
        return bounds.sorted { $0.level > $1.level }.map { b in
            var band = LineBand("\(ForecastIntervals.label(b.level)) % interval", x: x, lower: b.lower[0], upper: b.upper[0],
                                color: ExperimentCharts.palette[3], opacity: b.level > 0.9 ? 0.15 : 0.3)
            band.xIsDate = r.setup.frequency != nil
            return band
        }
    }
}
