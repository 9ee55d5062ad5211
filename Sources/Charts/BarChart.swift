import Foundation

/// One bar of a ``BarChart``.
public struct Bar: Equatable, Sendable {
    public var label: String
    public var value: Double
    /// Half-length of the error bar (e.g. one standard deviation); nil for none.
    public var error: Double?
    /// Fill color; nil uses the chart's color.
    public var color: ChartColor?

    public init(_ label: String, value: Double, error: Double? = nil, color: ChartColor? = nil) {
        self.label = label; self.value = value; self.error = error; self.color = color
    }
}

/// A vertical bar chart with optional ± error bars and labelled horizontal baselines.
/// Long category labels are wrapped onto up to three lines, or rotated when wrapping is not enough.
///
/// ```swift
/// var chart = BarChart(title: "Test RMSE by model")
/// chart.y = AxisOptions(label: "RMSE", unit: "µg/m³")
/// chart.add(Bar("LSTM", value: 4.1, error: 0.3))
/// chart.add(Bar("GRU", value: 4.3, error: 0.2))
/// chart.add(ReferenceLine(y: 6.0, label: "seasonal naive"))
/// let svg = chart.svg()
/// ```
public struct BarChart: Equatable, Sendable {
    /// Order of the bars.
    public enum Order: Equatable, Sendable { case given, ascending, descending }

    public var title: String?
    public var width: Double
    public var height: Double
    /// Title of the category axis.
    public var x: AxisOptions
    /// Value axis; zero is always included.
    public var y: AxisOptions
    public var bars: [Bar]
    public var order: Order
    public var color: ChartColor
    public var referenceLines: [ReferenceLine]
    /// Print each value above its bar.
    public var showValues: Bool
    /// Decimals for printed values; nil chooses about three significant digits.
    public var valueDecimals: Int?

    public init(title: String? = nil, width: Double = 720, height: Double = 420, x: AxisOptions = AxisOptions(),
                y: AxisOptions = AxisOptions(), bars: [Bar] = [], order: Order = .given,
                color: ChartColor = Palette.color(0), showValues: Bool = true, valueDecimals: Int? = nil) {
        self.title = title; self.width = width; self.height = height; self.x = x; self.y = y
        self.bars = bars; self.order = order; self.color = color; self.referenceLines = []
        self.showValues = showValues; self.valueDecimals = valueDecimals
    }

    public mutating func add(_ bar: Bar) { bars.append(bar) }
    public mutating func add(_ line: ReferenceLine) { referenceLines.append(line) }

    /// Bars in display order.
    public var orderedBars: [Bar] {
        switch order {
        case .given: return bars
        case .ascending: return bars.enumerated().sorted { ($0.element.value, $0.offset) < ($1.element.value, $1.offset) }.map(\.element)
        case .descending: return bars.enumerated().sorted { ($0.element.value, -$0.offset) > ($1.element.value, -$1.offset) }.map(\.element)
        }
    }

    /// How category labels are laid out.
    package enum LabelMode: Equatable { case horizontal, wrapped([[String]]), rotated }

    /// Greedy word wrap at spaces, `_`, `-` and `/` to `maxWidth`.
    package static func wrap(_ s: String, maxWidth: Double, size: Double) -> [String] {
        var words: [String] = []
        var cur = ""
        for ch in s {
            cur.append(ch)
            if ch == " " || ch == "_" || ch == "-" || ch == "/" { words.append(cur); cur = "" }
        }
        if !cur.isEmpty { words.append(cur) }
        var lines: [String] = []
        var line = ""
        for w in words {
            let candidate = line + w
            if line.isEmpty || TextMetrics.width(candidate.trimmingCharacters(in: .whitespaces), size: size) <= maxWidth {
                line = candidate
            } else {
                lines.append(line.trimmingCharacters(in: .whitespaces)); line = w
            }
        }
        if !line.isEmpty { lines.append(line.trimmingCharacters(in: .whitespaces)) }
        return lines
    }

    package static func labelMode(_ labels: [String], slot: Double) -> LabelMode {
        let avail = slot - 6
        if labels.allSatisfy({ TextMetrics.width($0, size: Style.tickSize) <= avail }) { return .horizontal }
        let wrapped = labels.map { wrap($0, maxWidth: avail, size: Style.tickSize) }
        if wrapped.allSatisfy({ $0.count <= 3 && $0.allSatisfy { TextMetrics.width($0, size: Style.tickSize) <= avail } }) {
            return .wrapped(wrapped)
        }
        return .rotated
    }

    package func formatValue(_ v: Double) -> String {
        let s: String
        if let d = valueDecimals {
            s = String(format: "%.\(d)f", v)
        } else {
            let mag = abs(v)
            let d = mag == 0 ? 0 : max(0, 2 - Int(floor(log10(mag))))
            s = mag >= 1e6 ? String(format: "%.3g", v) : String(format: "%.\(min(d, 6))f", v)
        }
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        var svg = SVGWriter(width: width, height: height)
        let shown = orderedBars
        let labels = shown.map(\.label)
        let rotation = 35.0
        let refLabelWidth = referenceLines.filter { !$0.label.isEmpty }.map { TextMetrics.width($0.label, size: Style.annotationSize) }.max().map { $0 + 16 } ?? 0
        let right = max(20, refLabelWidth)

        // First pass with an estimated left margin to decide the label layout.
        let estimatedSlot = (width - 80 - right) / Double(max(1, shown.count))
        let mode = BarChart.labelMode(labels, slot: estimatedSlot)
        let widest = labels.map { TextMetrics.width($0, size: Style.tickSize) }.max() ?? 0
        let labelBlock: Double
        switch mode {
        case .horizontal: labelBlock = Style.tickSize + 4
        case .wrapped(let lines): labelBlock = Double(lines.map(\.count).max() ?? 1) * (Style.tickSize + 2) + 2
        case .rotated: labelBlock = widest * sin(rotation * .pi / 180) + Style.tickSize
        }
        let top = title == nil ? 16.0 : 46.0
        let bottom = Style.tickLength + 6 + labelBlock + 8 + (x.title == nil ? 0 : Style.axisTitleSize + 10)
        let plotHeight = max(40, height - top - bottom)

        var lo = 0.0, hi = 0.0
        for b in shown where b.value.isFinite {
            let e = b.error.map(abs) ?? 0
            lo = min(lo, b.value - e); hi = max(hi, b.value + e)
        }
        for r in referenceLines where r.y.isFinite { lo = min(lo, r.y); hi = max(hi, r.y) }
        if let m = y.min { lo = m }
        if let m = y.max { hi = m }
        if showValues && hi > 0 { hi += (hi - lo) * 0.06 } // head-room for value labels
        let yt = NiceTicks.linear(min: lo, max: hi, maxTicks: max(3, Int(plotHeight / 50)))
        var left = AxisPainter.leftMargin(ticks: yt, title: y.title)
        if mode == .rotated, let first = labels.first {
            // A rotated first label reaches left of its slot; keep it inside the image.
            left = max(left, TextMetrics.width(first, size: Style.tickSize) * cos(rotation * .pi / 180) - estimatedSlot / 2 + 12)
        }
        let area = PlotArea(left: left, top: top, width: max(40, width - left - right), height: plotHeight)
        let ys = Scale(lower: yt.lower, upper: yt.upper, isLog: false, start: area.bottom, end: area.top)
        let slot = area.width / Double(max(1, shown.count))

        if let title {
            svg.text(title, x: area.left + area.width / 2, y: 28, size: Style.titleSize, anchor: .middle, weight: "600")
        }
        AxisPainter.drawY(&svg, area: area, scale: ys, ticks: yt, title: y.title, titleX: 12 + Style.axisTitleSize * 0.8)

        let barWidth = min(slot * 0.62, 90)
        for (i, b) in shown.enumerated() where b.value.isFinite {
            let cx = area.left + slot * (Double(i) + 0.5)
            let y0 = ys(0), y1 = ys(b.value)
            svg.rect(x: cx - barWidth / 2, y: min(y0, y1), width: barWidth, height: abs(y1 - y0), fill: (b.color ?? color).hex, extra: "class=\"bar\"")
            var labelAnchor = b.value >= 0 ? min(y0, y1) : max(y0, y1)
            if let e = b.error, e.isFinite, e != 0 {
                let ya = ys(b.value - abs(e)), yb = ys(b.value + abs(e))
                let cap = barWidth * 0.25
                svg.line(x1: cx, y1: ya, x2: cx, y2: yb, stroke: "#222222", width: 1.3, extra: "class=\"error-bar\"")
                svg.line(x1: cx - cap, y1: ya, x2: cx + cap, y2: ya, stroke: "#222222", width: 1.3)
                svg.line(x1: cx - cap, y1: yb, x2: cx + cap, y2: yb, stroke: "#222222", width: 1.3)
                labelAnchor = b.value >= 0 ? min(ya, yb) : max(ya, yb)
            }
            if showValues {
                let ty = b.value >= 0 ? labelAnchor - 5 : labelAnchor + Style.annotationSize + 3
                svg.text(formatValue(b.value), x: cx, y: ty, size: Style.annotationSize, anchor: .middle, fill: Palette.text)
            }
            // Category label.
            let ly = area.bottom + Style.tickLength + 4 + Style.tickSize * 0.8
            svg.line(x1: cx, y1: area.bottom, x2: cx, y2: area.bottom + Style.tickLength, stroke: Palette.axis)
            switch mode {
            case .horizontal:
                svg.text(b.label, x: cx, y: ly, size: Style.tickSize, anchor: .middle, fill: Palette.text)
            case .wrapped(let lines):
                for (k, line) in lines[i].enumerated() {
                    svg.text(line, x: cx, y: ly + Double(k) * (Style.tickSize + 2), size: Style.tickSize, anchor: .middle, fill: Palette.text)
                }
            case .rotated:
                svg.text(b.label, x: cx + 3, y: ly - 2, size: Style.tickSize, anchor: .end, fill: Palette.text, rotate: -rotation)
            }
        }
        // Zero line and axis.
        svg.line(x1: area.left, y1: ys(0), x2: area.right, y2: ys(0), stroke: Palette.axis)
        if yt.lower < 0 { svg.line(x1: area.left, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: Palette.grid) }
        if let t = x.title {
            svg.text(t, x: area.left + area.width / 2, y: height - 10, size: Style.axisTitleSize, anchor: .middle)
        }

        // Baselines: lines over the bars, labels in the right margin pushed apart if close.
        var placed: [(y: Double, line: ReferenceLine)] = []
        for r in referenceLines where r.y.isFinite {
            let yy = ys(r.y)
            svg.line(x1: area.left, y1: yy, x2: area.right, y2: yy, stroke: r.color.hex, width: 1.3, dash: r.dash.dashArray(width: 1.3), extra: "class=\"reference\"")
            if !r.label.isEmpty { placed.append((yy, r)) }
        }
        placed.sort { $0.y < $1.y }
        var lastY = -Double.infinity
        for p in placed {
            let ty = max(p.y + Style.annotationSize * 0.35, lastY + Style.annotationSize + 3)
            svg.text(p.line.label, x: area.right + 6, y: ty, size: Style.annotationSize, fill: p.line.color.hex)
            lastY = ty
        }
        return svg.document(title: title)
    }
}
