import Charts
import Foundation
import XCTest
@testable import Forecast

/// Builds the sample charts and report used for visual review. Set `REPORT_SAMPLES_DIR`
/// to a directory to have the files written there; otherwise they are only generated and checked.
final class ReportSamplesTests: XCTestCase {
    static func sampleLineChart() -> LineChart {
        let start = ChartDate(year: 2020, month: 1, day: 1)
        let n = 4 * 365
        let dates = (0..<n).map { start.addingDays($0) }
        var gen: UInt64 = 42
        func noise() -> Double {
            gen = gen &* 6364136223846793005 &+ 1442695040888963407
            return Double(gen >> 11) / Double(1 << 53) - 0.5
        }
        let actual: [Double?] = (0..<n).map { i in
            if (500..<520).contains(i) { return nil } // sensor outage
            let t = Double(i)
            return 40 + 12 * sin(2 * .pi * t / 365.25) + 4 * sin(2 * .pi * t / 7) + 6 * noise() + t * 0.005
        }
        let split = Int(Double(n) * 0.8)
        let fdates = Array(dates[split...])
        let forecast: [Double?] = (split..<n).map { i in
            let t = Double(i)
            return 40 + 12 * sin(2 * .pi * t / 365.25) + t * 0.005
        }
        var chart = LineChart(title: "PM2.5 at Złoty Róg — daily mean", width: 900, height: 420)
        chart.x = AxisOptions(label: "Date")
        chart.y = AxisOptions(label: "Concentration", unit: "µg/m³")
        chart.add(LineSeries("observed", dates: dates, y: actual, lineWidth: 1.2))
        chart.add(LineSeries("LSTM forecast", dates: fdates, y: forecast, dash: .dashed))
        chart.add(LineBand("90 % interval", dates: fdates, lower: forecast.map { $0! - 8 }, upper: forecast.map { $0! + 8 }, color: Palette.color(1)))
        chart.add(ReferenceLine(y: 25, label: "WHO guideline 25 µg/m³", color: ChartColor(hex: "#b2182b")))
        chart.add(VerticalMarker(date: dates[split], label: "train | test"))
        return chart
    }

    static func sampleLogChart() -> LineChart {
        var chart = LineChart(title: "Gradient norm during training", width: 760, height: 400, yScale: .log10, legend: .bottom)
        chart.x = AxisOptions(label: "Epoch")
        chart.y = AxisOptions(label: "‖∇‖₂")
        let epochs = (1...120).map(Double.init)
        chart.add(LineSeries("SimpleRNN", x: epochs, y: epochs.map { 3e3 * exp(-$0 / 9) + 1e-4 }))
        chart.add(LineSeries("LSTM", x: epochs, y: epochs.map { 2 * exp(-$0 / 40) + 0.01 }))
        chart.add(LineSeries("GRU (clipped)", x: epochs, y: epochs.map { min(1, 5 * exp(-$0 / 25)) + 0.02 }, dash: .dotted, lineWidth: 2.2))
        chart.add(ReferenceLine(y: 1, label: "clip threshold"))
        return chart
    }

    static func sampleBarChart() -> BarChart {
        var chart = BarChart(title: "Test RMSE by model (5 seeds, mean ± std)", width: 760, height: 420)
        chart.y = AxisOptions(label: "RMSE", unit: "µg/m³")
        chart.x = AxisOptions(label: "Model")
        chart.add(Bar("SimpleRNN 64 units", value: 6.12, error: 0.41))
        chart.add(Bar("LSTM 64 units", value: 4.18, error: 0.22))
        chart.add(Bar("GRU 64 units", value: 4.31, error: 0.19))
        chart.add(Bar("Bidirectional LSTM 2×64 units", value: 4.02, error: 0.35))
        chart.add(Bar("Linear autoregression", value: 5.40, error: 0.0))
        chart.order = .ascending
        chart.add(ReferenceLine(y: 7.3, label: "naive (last value)"))
        chart.add(ReferenceLine(y: 6.9, label: "seasonal naive", color: ChartColor(hex: "#b2182b")))
        return chart
    }

    static func sampleHeatmap() -> HeatmapChart {
        let months = ChartDate.monthAbbreviations
        let hours = stride(from: 0, to: 24, by: 2).map { String(format: "%02d:00", $0) }
        let values = hours.indices.map { h in months.indices.map { m in
            3 + 2 * cos(2 * .pi * Double(m) / 12) + 1.5 * sin(2 * .pi * Double(h) / 12) + (h == 3 && m == 5 ? .nan : 0)
        } }
        var chart = HeatmapChart(title: "MAE by hour of day and month", width: 760, height: 520,
                                 rowLabels: hours, columnLabels: months, values: values)
        chart.x = AxisOptions(label: "Month")
        chart.y = AxisOptions(label: "Hour of day")
        chart.colorbarLabel = "MAE (µg/m³)"
        chart.valueDecimals = 1
        return chart
    }

    static func sampleConfusion() -> HeatmapChart {
        HeatmapChart(title: "Confusion matrix (air-quality class)", width: 520, height: 440,
                     rowLabels: ["good", "moderate", "unhealthy"], columnLabels: ["good", "moderate", "unhealthy"],
                     values: [[812, 41, 2], [57, 390, 23], [3, 31, 97]], colorScale: .blues,
                     x: AxisOptions(label: "Predicted"), y: AxisOptions(label: "Actual"), colorbarLabel: "count")
    }

    static func sampleScatter() -> ScatterChart {
        var chart = ScatterChart(title: "Predicted vs actual (test set)")
        chart.x = AxisOptions(label: "Actual", unit: "µg/m³")
        chart.y = AxisOptions(label: "Predicted", unit: "µg/m³")
        let actual: [Double] = (0..<150).map { (i: Int) -> Double in
            let t = Double(i)
            return 25 + 30 * sin(t * 0.37) * cos(t * 0.11) + 30
        }
        let lstm: [Double] = actual.indices.map { (i: Int) -> Double in actual[i] * 0.92 + 3 + 4 * sin(Double(i) * 1.7) }
        let naive: [Double] = actual.indices.map { (i: Int) -> Double in actual[i] + 9 * cos(Double(i) * 2.3) }
        chart.add("LSTM", x: actual, y: lstm)
        chart.add("naive", x: actual, y: naive, marker: .triangle, markerSize: 5)
        return chart
    }

    static func sampleReport() -> HTMLReport {
        var report = HTMLReport(title: "PM2.5 forecast — Złoty Róg station",
                                subtitle: "LSTM vs. baselines, daily means 2020–2023 <draft & unreviewed>",
                                footer: "Generated by rnn (sample). All figures are inline SVG.")
        var data = HTMLReport.Section("Data")
        data.paragraph("Daily mean concentrations from the Złoty Róg monitor. Missing days are shown as gaps; the last 20 % of days form the test set.")
        data.keyValues([("Source", "stations/zloty_rog.csv"), ("Rows", "1 460 (20 missing)"), ("Range", "2020-01-01 … 2023-12-30"),
                        ("Unit", "µg/m³"), ("Split", "train 80 % | test 20 %")])
        data.figure(sampleLineChart().svg(), caption: "Figure 1. Observed daily PM2.5 with the LSTM forecast and its 90 % interval over the test period.")
        report.add(data)
        var results = HTMLReport.Section("Results")
        var table = Table(header: ["Model", "RMSE", "MAE", "R²", "Params"], caption: "Test-set metrics, mean of 5 seeds")
        table.addRow(["SimpleRNN", .number(6.12, 2), .number(4.71, 2), .number(0.712, 3), 4_481])
        table.addRow(["LSTM", .number(4.18, 2), .number(3.20, 2), .number(0.881, 3), 17_217])
        table.addRow(["GRU", .number(4.31, 2), .number(3.14, 2), .number(0.874, 3), 12_993])
        table.addRow(["seasonal naive", .number(6.90, 2), .number(5.02, 2), .number(0.641, 3), .empty])
        table.best = [1: .lowest, 2: .lowest, 3: .highest]
        results.table(table)
        results.figure(sampleBarChart().svg(), caption: "Figure 2. Test RMSE per model; error bars are ± one standard deviation over seeds.")
        results.figure(sampleScatter().svg(), caption: "Figure 3. Predicted against actual values; the dashed line is y = x.")
        results.figure(sampleHeatmap().svg(), caption: "Figure 4. Mean absolute error by hour and month.")
        results.figure(sampleConfusion().svg(), caption: "Figure 5. Confusion matrix of the derived air-quality class.")
        results.figure(sampleLogChart().svg(), caption: "Figure 6. Gradient norms during training (log scale).")
        report.add(results)
        var repro = HTMLReport.Section("Reproduce")
        repro.code("rnn train --data stations/zloty_rog.csv --model lstm --units 64 --seed 1 --out runs/lstm-1 && rnn report runs/lstm-1 > \"report.html\"")
        report.add(repro)
        return report
    }

    /// Hourly data over two days with a shaded forecast horizon.
    static func sampleHourlyChart() -> LineChart {
        let start = ChartDate(year: 2024, month: 3, day: 11, hour: 0)
        let times = (0..<48).map { ChartDate(secondsSinceEpoch: start.secondsSinceEpoch + Double($0) * 3600) }
        let load = times.indices.map { 520 + 140 * sin(2 * .pi * (Double($0) - 8) / 24) }
        var chart = LineChart(title: "Hourly load, 48 h", width: 760, height: 360, legend: .bottom)
        chart.y = AxisOptions(label: "Load", unit: "MW")
        chart.add(LineSeries("load", dates: times, y: load, marker: .circle, markerSize: 4))
        chart.add(ShadedSpan(from: times[36], to: times[47], label: "forecast horizon"))
        chart.add(VerticalMarker(date: times[36], label: "forecast starts"))
        return chart
    }

    /// Three months of daily values with min–max band across seeds.
    static func sampleSeedsChart() -> LineChart {
        let start = ChartDate(year: 2024, month: 1, day: 1)
        let days = (0..<91).map { start.addingDays($0) }
        let mean = days.indices.map { 0.8 * exp(-Double($0) / 30) + 0.12 }
        var chart = LineChart(title: "Validation loss across 5 seeds", width: 760, height: 360)
        chart.y = AxisOptions(label: "MSE", includeZero: true)
        chart.add(LineSeries("mean", dates: days, y: mean))
        chart.add(LineBand("min–max", dates: days, lower: mean.map { $0 * 0.85 }, upper: mean.map { $0 * 1.2 }))
        chart.add(ReferenceLine(y: 0.1, label: "baseline 0.1"))
        return chart
    }

    /// Many long category names, which have to be rotated.
    static func sampleRotatedBars() -> BarChart {
        var chart = BarChart(title: "MAE per station", width: 760, height: 420, showValues: false)
        chart.y = AxisOptions(label: "MAE", unit: "µg/m³")
        let names = ["Kraków-Aleja Krasińskiego", "Warszawa-Marszałkowska", "Gdańsk-Wyzwolenia", "Wrocław-Wiśniowa",
                     "Złoty Róg-Północ", "Poznań-Polanka", "Łódź-Czernika", "Katowice-Kossutha", "Szczecin-Andrzejewskiego",
                     "Lublin-Obywatelska", "Białystok-Warszawska", "Rzeszów-Rejtana"]
        for (i, n) in names.enumerated() { chart.add(Bar(n, value: 3 + Double((i * 7) % 5) * 0.8, error: 0.3 + Double(i % 3) * 0.1)) }
        chart.order = .descending
        chart.add(ReferenceLine(y: 4.5, label: "national mean"))
        return chart
    }

    static func writeIfRequested(_ name: String, _ text: String) throws {
        guard let dir = ProcessInfo.processInfo.environment["REPORT_SAMPLES_DIR"] else { return }
        try writeAtomically(text, to: URL(fileURLWithPath: dir).appendingPathComponent(name))
    }

    func testSamplesRender() throws {
        let line = Self.sampleLineChart().svg()
        let log = Self.sampleLogChart().svg()
        XCTAssertTrue(line.contains("<svg"))
        XCTAssertTrue(log.contains("<svg"))
        try Self.writeIfRequested("line.svg", line)
        try Self.writeIfRequested("log.svg", log)
        try Self.writeIfRequested("bar.svg", Self.sampleBarChart().svg())
        try Self.writeIfRequested("heatmap.svg", Self.sampleHeatmap().svg())
        try Self.writeIfRequested("confusion.svg", Self.sampleConfusion().svg())
        try Self.writeIfRequested("scatter.svg", Self.sampleScatter().svg())
        try Self.writeIfRequested("hourly.svg", Self.sampleHourlyChart().svg())
        try Self.writeIfRequested("seeds.svg", Self.sampleSeedsChart().svg())
        var few = LineChart(title: "Learning rate schedule", width: 640, height: 340, yScale: .log10, legend: .none)
        few.x = AxisOptions(label: "Step")
        few.y = AxisOptions(label: "Learning rate")
        few.add(LineSeries("lr", x: (0...200).map(Double.init), y: (0...200).map { 3e-3 * pow(0.98, Double($0)) }))
        try Self.writeIfRequested("logminor.svg", few.svg())
        try Self.writeIfRequested("rotated.svg", Self.sampleRotatedBars().svg())
        try Self.writeIfRequested("report.html", Self.sampleReport().html())
    }
}
