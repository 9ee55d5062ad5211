import Foundation

/// A heatmap of a matrix (e.g. a confusion matrix, or mean error by hour × month) with
/// value annotations in each cell and a color bar. NaN cells are drawn light gray, unannotated.
///
/// ```swift
/// var chart = HeatmapChart(title: "MAE by hour and month",
///                          rowLabels: (0..<24).map { String(format: "%02d:00", $0) },
///                          columnLabels: ["Jan", "Feb", "Mar"],
///                          values: mae)  // values[row][column]
/// chart.colorbarLabel = "MAE (µg/m³)"
/// let svg = chart.svg()
/// ```
public struct HeatmapChart: Equatable, Sendable {
    public var title: String?
    public var width: Double
    public var height: Double
    /// Labels of the rows, top to bottom.
    public var rowLabels: [String]
    /// Labels of the columns, left to right.
    public var columnLabels: [String]
    /// `values[row][column]`.
    public var values: [[Double]]
    public var colorScale: ColorScale
    /// Title for the columns (drawn below) and the rows (drawn left, rotated).
    public var x: AxisOptions
    public var y: AxisOptions
    public var colorbarLabel: String?
    /// Print each value in its cell (when the cell is large enough).
    public var showValues: Bool
    /// Decimals for printed values; nil chooses from the magnitude.
    public var valueDecimals: Int?
    /// Color range; nil uses the data range.
    public var minValue: Double?
    public var maxValue: Double?

    public init(title: String? = nil, width: Double = 640, height: Double = 480, rowLabels: [String],
                columnLabels: [String], values: [[Double]], colorScale: ColorScale = .viridis,
                x: AxisOptions = AxisOptions(), y: AxisOptions = AxisOptions(), colorbarLabel: String? = nil,
                showValues: Bool = true, valueDecimals: Int? = nil) {
        self.title = title; self.width = width; self.height = height
        self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.values = values
        self.colorScale = colorScale; self.x = x; self.y = y; self.colorbarLabel = colorbarLabel
        self.showValues = showValues; self.valueDecimals = valueDecimals
    }

    /// The color range used.
    package var range: (Double, Double) {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        var lo = minValue ?? finite.min() ?? 0
        var hi = maxValue ?? finite.max() ?? 1
        if case .diverging(let c) = colorScale, minValue == nil, maxValue == nil {
            let r = max(abs(lo - c), abs(hi - c))
            lo = c - r; hi = c + r
        }
        if hi <= lo { hi = lo + 1 }
        return (lo, hi)
    }

    package func format(_ v: Double) -> String {
        var s: String
        if let d = valueDecimals {
            s = String(format: "%.\(d)f", v)
        } else if v == v.rounded() && abs(v) < 1e6 {
            s = String(Int(v))
        } else {
            let mag = abs(v)
            let d = mag == 0 ? 0 : max(0, 2 - Int(floor(log10(mag))))
            s = String(format: "%.\(min(d, 4))f", v)
        }
        if s.hasPrefix("-") {
            let rest = String(s.dropFirst())
            s = rest.allSatisfy({ $0 == "0" || $0 == "." }) ? rest : "\u{2212}" + rest
        }
        return s
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        var svg = SVGWriter(width: width, height: height)
        let rows = rowLabels.count, cols = columnLabels.count
        let (lo, hi) = range
        let top = title == nil ? 16.0 : 46.0
        let rowLabelWidth = rowLabels.map { TextMetrics.width($0, size: Style.tickSize) }.max() ?? 0
        let left = 12 + (y.title == nil ? 0 : Style.axisTitleSize + 10) + rowLabelWidth + 8
        let barTicks = NiceTicks.linear(min: lo, max: hi, maxTicks: 6)
        let barLabelWidth = barTicks.ticks.map { TextMetrics.width($0, size: Style.tickSize) }.max() ?? 0
        let right = 16 + 14 + 6 + barLabelWidth + (colorbarLabel == nil ? 0 : Style.axisTitleSize + 12) + 8
        let areaWidth = max(40, width - left - right)
        let cellW = areaWidth / Double(max(1, cols))
        let colLabelWidth = columnLabels.map { TextMetrics.width($0, size: Style.tickSize) }.max() ?? 0
        let rotate = colLabelWidth > cellW - 4
        let colBlock = rotate ? colLabelWidth * sin(.pi / 4) + Style.tickSize : Style.tickSize + 4
        let bottom = 8 + colBlock + 8 + (x.title == nil ? 0 : Style.axisTitleSize + 10)
        let area = PlotArea(left: left, top: top, width: areaWidth, height: max(40, height - top - bottom))
        let cellH = area.height / Double(max(1, rows))

        if let title {
            svg.text(title, x: area.left + area.width / 2, y: 28, size: Style.titleSize, anchor: .middle, weight: "600")
        }
        let fontSize = min(Style.annotationSize, cellH * 0.5)
        for r in 0..<rows {
            for c in 0..<cols {
                let v = r < values.count && c < values[r].count ? values[r][c] : .nan
                let color = v.isFinite ? colorScale.color(at: (v - lo) / (hi - lo)) : ChartColor(hex: "#eeeeee")
                let cx = area.left + Double(c) * cellW, cy = area.top + Double(r) * cellH
                svg.rect(x: cx, y: cy, width: cellW, height: cellH, fill: color.hex, stroke: "#ffffff", strokeWidth: 1, extra: "class=\"cell\"")
                if showValues && v.isFinite {
                    let text = format(v)
                    if TextMetrics.width(text, size: fontSize) <= cellW - 4 && fontSize >= 7 {
                        let ink = color.luminance > 0.4 ? "#1a1a1a" : "#ffffff"
                        svg.text(text, x: cx + cellW / 2, y: cy + cellH / 2 + fontSize * 0.35, size: fontSize, anchor: .middle, fill: ink)
                    }
                }
            }
        }
        // Row and column labels.
        let rowFont = min(Style.tickSize, max(7, cellH * 0.8))
        for (r, label) in rowLabels.enumerated() {
            svg.text(label, x: area.left - 6, y: area.top + (Double(r) + 0.5) * cellH + rowFont * 0.35, size: rowFont, anchor: .end, fill: Palette.text)
        }
        for (c, label) in columnLabels.enumerated() {
            let cx = area.left + (Double(c) + 0.5) * cellW
            let ly = area.bottom + 8 + Style.tickSize * 0.8
            if rotate {
                svg.text(label, x: cx + 3, y: ly - 2, size: Style.tickSize, anchor: .end, fill: Palette.text, rotate: -45)
            } else {
                svg.text(label, x: cx, y: ly, size: Style.tickSize, anchor: .middle, fill: Palette.text)
            }
        }
        if let t = y.title {
            svg.text(t, x: 12 + Style.axisTitleSize * 0.8, y: area.top + area.height / 2, size: Style.axisTitleSize, anchor: .middle, rotate: -90)
        }
        if let t = x.title {
            svg.text(t, x: area.left + area.width / 2, y: height - 10, size: Style.axisTitleSize, anchor: .middle)
        }

        // Color bar: stacked slices (no gradient ids, so several charts can share one HTML page).
        let bx = area.right + 16, bw = 14.0
        let bTop = area.top, bH = area.height
        let slices = 64
        for k in 0..<slices {
            let t0 = Double(k) / Double(slices)
            let yy = bTop + bH * (1 - t0 - 1 / Double(slices))
            svg.rect(x: bx, y: yy, width: bw, height: bH / Double(slices) + 0.6, fill: colorScale.color(at: t0 + 0.5 / Double(slices)).hex)
        }
        svg.rect(x: bx, y: bTop, width: bw, height: bH, fill: "none", stroke: "#999999", strokeWidth: 0.8)
        for t in barTicks.ticks where t.value >= lo - 1e-12 && t.value <= hi + 1e-12 {
            let yy = bTop + bH * (1 - (t.value - lo) / (hi - lo))
            svg.line(x1: bx + bw, y1: yy, x2: bx + bw + 4, y2: yy, stroke: Palette.axis)
            svg.text(t.label, x: bx + bw + 6, y: yy + Style.tickSize * 0.35, size: Style.tickSize, fill: Palette.mutedText)
        }
        if let label = colorbarLabel {
            let lx = bx + bw + 6 + barLabelWidth + 10 + Style.axisTitleSize * 0.8
            svg.text(label, x: lx, y: bTop + bH / 2, size: Style.axisTitleSize, anchor: .middle, rotate: -90)
        }
        return svg.document(title: title)
    }
}
