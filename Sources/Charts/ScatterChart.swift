import Foundation

/// A scatter plot, typically actual vs. predicted with the y = x line. It is drawn by a
/// ``LineChart`` with marker-only series, on equal x and y ranges when `identityLine` is on.
///
/// ```swift
/// var chart = ScatterChart(title: "Predicted vs actual")
/// chart.x = AxisOptions(label: "Actual", unit: "MW")
/// chart.y = AxisOptions(label: "Predicted", unit: "MW")
/// chart.add("test set", x: actual, y: predicted)
/// let svg = chart.svg()
/// ```
public struct ScatterChart: Equatable, Sendable {
    public var title: String?
    public var width: Double
    public var height: Double
    public var x: AxisOptions
    public var y: AxisOptions
    /// Marker-only series.
    public var groups: [LineSeries]
    /// Draw the dashed y = x line and use the same range on both axes.
    public var identityLine: Bool
    public var legend: LegendPosition

    public init(title: String? = nil, width: Double = 560, height: Double = 480, x: AxisOptions = AxisOptions(),
                y: AxisOptions = AxisOptions(), identityLine: Bool = true, legend: LegendPosition = .bottom) {
        self.title = title; self.width = width; self.height = height; self.x = x; self.y = y
        self.groups = []; self.identityLine = identityLine; self.legend = legend
    }

    /// Adds a group of points.
    public mutating func add(_ label: String, x: [Double], y: [Double], color: ChartColor? = nil,
                             marker: MarkerShape = .circle, markerSize: Double = 6) {
        let c = color ?? Palette.color(groups.count)
        groups.append(LineSeries(label, x: x, y: y, color: c, marker: marker, markerSize: markerSize, showLine: false))
    }

    /// The equivalent line chart.
    public var lineChart: LineChart {
        var chart = LineChart(title: title, width: width, height: height, x: x, y: y, xScale: .linear, legend: legend)
        if identityLine {
            var values: [Double] = []
            for g in groups {
                for i in 0..<min(g.x.count, g.y.count) where g.x[i].isFinite && g.y[i].isFinite {
                    values.append(g.x[i]); values.append(g.y[i])
                }
            }
            let lo = x.min ?? y.min ?? values.min() ?? 0
            let hi = x.max ?? y.max ?? values.max() ?? 1
            let t = NiceTicks.linear(min: lo, max: hi, maxTicks: 7)
            chart.x.min = t.lower; chart.x.max = t.upper
            chart.y.min = t.lower; chart.y.max = t.upper
            chart.add(LineSeries("y = x", x: [t.lower, t.upper], y: [t.lower, t.upper], color: .gray, dash: .dashed, lineWidth: 1.2))
        }
        for g in groups { chart.add(g) }
        return chart
    }

    /// The chart as an SVG document.
    public func svg() -> String { lineChart.svg() }
}
