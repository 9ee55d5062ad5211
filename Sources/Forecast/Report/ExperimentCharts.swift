import Charts
import Recurrent

/// The charts of an experiment report.
enum ExperimentCharts {
    static func chartDate(_ t: LocalDateTime) -> ChartDate {
        ChartDate(year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute)
    }

    /// x coordinates of rows: seconds since epoch for dated series, row numbers otherwise.
    static func xs(_ r: ExperimentResult, rows: [Int], times: [LocalDateTime?]) -> [Double] {
        r.setup.frequency == nil ? rows.map(Double.init) : times.map { $0.map { chartDate($0).secondsSinceEpoch } ?? .nan }
    }

    static func seriesLine(_ label: String, _ r: ExperimentResult, rows: [Int], times: [LocalDateTime?], y: [Double], color: ChartColor? = nil, dash: DashStyle = .solid, width: Double = 1.6) -> LineSeries {
        var s = LineSeries(label, x: xs(r, rows: rows, times: times), y: y, color: color, dash: dash, lineWidth: width)
        s.xIsDate = r.setup.frequency != nil
        return s
    }

    static func axes(_ r: ExperimentResult) -> (AxisOptions, AxisOptions) {
        (AxisOptions(label: r.setup.frequency == nil ? "step" : "date"),
         AxisOptions(label: r.setup.target, unit: r.setup.unit.isEmpty ? nil : r.setup.unit))
    }

    static let palette = Palette.categorical

    /// The whole series with the model's test-period predictions and the future forecast.
    static func history(_ r: ExperimentResult, series: TimeSeries, levels: [Double]) -> String {
        let (xAxis, yAxis) = axes(r)
        let title = r.future == nil ? "\(r.setup.target): history and test-period predictions" : "\(r.setup.target): history, test-period predictions and forecast"
        var chart = LineChart(title: title, width: 900, height: 420, x: xAxis, y: yAxis, legend: .bottom)
        let rows = Array(0..<levels.count)
        chart.add(seriesLine("actual", r, rows: rows, times: series.timestamps, y: levels, color: palette[0], width: 1.2))
        let firstSteps = r.testRows.map { $0[0] }
        if let model = r.method("model") {
            chart.add(seriesLine("model (test, 1 step ahead)", r, rows: firstSteps, times: r.testTimes.map { $0[0] }, y: model.paths.map { $0[0] }, color: palette[1]))
        }
        if let f = r.future {
            chart.add(seriesLine("forecast", r, rows: f.rows, times: f.times, y: f.values, color: palette[3], dash: .dashed, width: 2))
        }
        if let first = firstSteps.first {
            let x = xs(r, rows: [first], times: [r.testTimes[0][0]])[0]
            chart.add(VerticalMarker(x: x, label: "test period"))
        }
        return chart.svg()
    }

    /// The last stretch of history and the future forecast with its dates.
    static func forecast(_ r: ExperimentResult, series: TimeSeries, levels: [Double]) -> String? {
        guard let f = r.future else { return nil }
        let (xAxis, yAxis) = axes(r)
        var chart = LineChart(title: "Forecast of the next \(f.values.count) steps", width: 900, height: 380, x: xAxis, y: yAxis, legend: .bottom)
        let tail = max(0, levels.count - max(3 * f.values.count, r.setup.lookback))
        let rows = Array(tail..<levels.count)
        chart.add(seriesLine("actual", r, rows: rows, times: rows.map { series.timestamps[$0] }, y: rows.map { levels[$0] }, color: palette[0]))
        for band in IntervalReport.futureBands(r) { chart.add(band) }
        chart.add(seriesLine("forecast", r, rows: f.rows, times: f.times, y: f.values, color: palette[3], dash: .dashed, width: 2))
        if let last = rows.last {
            chart.add(VerticalMarker(x: xs(r, rows: [last], times: [series.timestamps[last]])[0], label: "forecast starts"))
        }
        return chart.svg()
    }

    /// Training and validation loss per epoch.
    static func loss(_ h: History) -> String? {
        guard h.epochsRun > 0 else { return nil }
        let epochs = h.records.map { Double($0.epoch + 1) }
        let loss = h["loss"], val = h["val_loss"]
        let values = (loss + val).filter { $0.isFinite && $0 > 0 }
        let useLog = (values.max() ?? 1) / max(values.min() ?? 1, 1e-30) > 30
        var chart = LineChart(title: "Loss per epoch", width: 700, height: 360, x: AxisOptions(label: "epoch"),
                              y: AxisOptions(label: "loss (scaled units)"), yScale: useLog ? .log10 : .linear, legend: .bottom)
        chart.add(LineSeries("training loss", x: epochs, y: loss, color: palette[0], marker: epochs.count <= 30 ? .circle : nil, markerSize: 4))
        if hasValidation(h) {
            chart.add(LineSeries("validation loss", x: epochs, y: val, color: palette[1], marker: epochs.count <= 30 ? .circle : nil, markerSize: 4))
        }
        // Without a validation part the "best" epoch would only be the lowest training loss.
        if hasValidation(h), let best = h.bestEpoch { chart.add(VerticalMarker(x: Double(best + 1), label: "best epoch")) }
        return chart.svg()
    }

    static func hasValidation(_ h: History) -> Bool { h["val_loss"].contains(where: { $0.isFinite }) }

    static func fmt(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let a = Swift.abs(v)
        if a >= 100 { return String(format: "%.1f", v) }
        if a >= 1 { return String(format: "%.3f", v) }
        return String(format: "%.4f", v)
    }
}
