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
            return 40 + 12 * sin(2 * .pi * t / 365.25) + 4 * sin(2 * .pi * t / 7) + t * 0.005
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
        chart.add(LineSeries("GRU (clipped)", x: epochs, y: epochs.map { min(1, 5 * exp(-$0 / 25)) + 0.02 }, marker: .circle, markerSize: 4))
        chart.add(ReferenceLine(y: 1, label: "clip threshold"))
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
    }
}
