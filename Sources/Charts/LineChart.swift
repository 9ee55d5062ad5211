import Foundation

/// A line chart rendered to SVG: several series over numeric or date x, optional log y,
/// bands, reference lines, vertical markers and shaded spans. The legend sits outside the plot.
///
/// ```swift
/// var chart = LineChart(title: "Daily load", width: 900, height: 420)
/// chart.x = AxisOptions(label: "Date")
/// chart.y = AxisOptions(label: "Load", unit: "MW")
/// chart.add(LineSeries("actual", dates: days, y: actual))
/// chart.add(LineSeries("forecast", dates: futureDays, y: predicted, dash: .dashed))
/// chart.add(VerticalMarker(date: split, label: "train | test"))
/// let svg = chart.svg()
/// ```
public struct LineChart: Equatable, Sendable {
    /// Kinds of x axis.
    public enum XScale: Equatable, Sendable {
        /// Date axis if any series or band was built from dates, else linear.
        case automatic
        case linear
        /// Seconds since epoch, naive UTC, with calendar ticks.
        case date
    }

    /// Kinds of y axis.
    public enum YScale: Equatable, Sendable {
        case linear
        /// Base-10 logarithmic with ticks at decades; values ≤ 0 are gaps.
        case log10
    }

    public var title: String?
    public var width: Double
    public var height: Double
    public var x: AxisOptions
    public var y: AxisOptions
    public var xScale: XScale
    public var yScale: YScale
    public var legend: LegendPosition
    public var series: [LineSeries]
    public var bands: [LineBand]
    public var referenceLines: [ReferenceLine]
    public var verticalMarkers: [VerticalMarker]
    public var spans: [ShadedSpan]

    public init(title: String? = nil, width: Double = 800, height: Double = 450,
                x: AxisOptions = AxisOptions(), y: AxisOptions = AxisOptions(),
                xScale: XScale = .automatic, yScale: YScale = .linear, legend: LegendPosition = .right,
                series: [LineSeries] = []) {
        self.title = title; self.width = width; self.height = height
        self.x = x; self.y = y; self.xScale = xScale; self.yScale = yScale; self.legend = legend
        self.series = series; self.bands = []; self.referenceLines = []; self.verticalMarkers = []; self.spans = []
    }

    public mutating func add(_ s: LineSeries) { series.append(s) }
    public mutating func add(_ b: LineBand) { bands.append(b) }
    public mutating func add(_ r: ReferenceLine) { referenceLines.append(r) }
    public mutating func add(_ m: VerticalMarker) { verticalMarkers.append(m) }
    public mutating func add(_ s: ShadedSpan) { spans.append(s) }

    /// Whether the x axis is a date axis.
    package var isDateAxis: Bool {
        switch xScale {
        case .date: return true
        case .linear: return false
        case .automatic: return series.contains(where: \.xIsDate) || bands.contains(where: \.xIsDate)
        }
    }

    package func seriesColor(_ i: Int) -> ChartColor { series[i].color ?? Palette.color(i) }

    package func bandColor(_ i: Int) -> ChartColor {
        if let c = bands[i].color { return c }
        return i < series.count ? seriesColor(i) : Palette.color(i)
    }

    package var legendItems: [LegendItem] {
        var items: [LegendItem] = []
        for (i, s) in series.enumerated() where !s.label.isEmpty {
            items.append(LegendItem(label: s.label, swatch: .line(color: seriesColor(i).hex, dash: s.dash, width: s.lineWidth, marker: s.marker, showLine: s.showLine)))
        }
        for (i, b) in bands.enumerated() where !b.label.isEmpty {
            items.append(LegendItem(label: b.label, swatch: .area(color: bandColor(i).hex, opacity: max(b.opacity, 0.25))))
        }
        return items
    }

    /// Data extent on x and y (only values the y scale can show).
    package func extent() -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        var xs: [Double] = [], ys: [Double] = []
        let log = yScale == .log10
        func ok(_ v: Double) -> Bool { v.isFinite && (!log || v > 0) }
        for s in series {
            for i in 0..<min(s.x.count, s.y.count) where s.x[i].isFinite && ok(s.y[i]) { xs.append(s.x[i]); ys.append(s.y[i]) }
        }
        for b in bands {
            for i in 0..<min(b.x.count, b.lower.count, b.upper.count) where b.x[i].isFinite {
                if ok(b.lower[i]) { ys.append(b.lower[i]); xs.append(b.x[i]) }
                if ok(b.upper[i]) { ys.append(b.upper[i]); xs.append(b.x[i]) }
            }
        }
        for r in referenceLines where ok(r.y) { ys.append(r.y) }
        for m in verticalMarkers where m.x.isFinite { xs.append(m.x) }
        for s in spans where s.from.isFinite && s.to.isFinite { xs.append(s.from); xs.append(s.to) }
        let xr = xs.isEmpty ? nil : (xs.min()!...xs.max()!)
        let yr = ys.isEmpty ? nil : (ys.min()!...ys.max()!)
        return (xr, yr)
    }

    /// Ticks for the y axis given the plot height.
    package func yTicks(plotHeight: Double) -> AxisTicks {
        let e = extent().y
        var lo = y.min ?? e?.lowerBound ?? (yScale == .log10 ? 1 : 0)
        var hi = y.max ?? e?.upperBound ?? (yScale == .log10 ? 10 : 1)
        let maxTicks = max(3, Int(plotHeight / 50))
        if yScale == .log10 {
            var t = NiceTicks.logarithmic(min: lo, max: hi, maxTicks: maxTicks)
            if let m = y.min, m > 0 { t.lower = m }
            if let m = y.max, m > 0 { t.upper = m }
            return t
        }
        if y.includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        var t = NiceTicks.linear(min: lo, max: hi, maxTicks: maxTicks)
        if let m = y.min { t.lower = m; t.ticks.removeAll { $0.value < m - 1e-12 } }
        if let m = y.max { t.upper = m; t.ticks.removeAll { $0.value > m + 1e-12 } }
        return t
    }

    /// Ticks for the x axis given the plot width; fewer ticks are taken until labels fit.
    package func xTicks(plotWidth: Double) -> AxisTicks {
        let e = extent().x
        let date = isDateAxis
        var lo = x.min ?? e?.lowerBound ?? 0
        var hi = x.max ?? e?.upperBound ?? (date ? 86_400 : 1)
        if x.includeZero && !date { lo = min(lo, 0); hi = max(hi, 0) }
        var maxTicks = max(2, Int(plotWidth / 70))
        while true {
            var t = date ? DateTicks.ticks(min: lo, max: hi, maxTicks: maxTicks) : NiceTicks.linear(min: lo, max: hi, maxTicks: maxTicks)
            if let m = x.min { t.lower = m; t.ticks.removeAll { $0.value < m - 1e-9 } }
            if let m = x.max { t.upper = m; t.ticks.removeAll { $0.value > m + 1e-9 } }
            let widest = t.ticks.map { TextMetrics.width($0, size: Style.tickSize) }.max() ?? 0
            let needed = Double(t.ticks.count) * (widest + 16)
            if needed <= plotWidth || maxTicks <= 2 { return t }
            maxTicks -= 1
        }
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        var svg = SVGWriter(width: width, height: height)
        let items = legend == .none ? [] : legendItems
        let xTitle = x.title, yTitle = y.title

        // Layout for a given number of rows of marker/span labels above the plot.
        var legendHeight = 0.0
        func layout(labelRows: Int) -> (area: PlotArea, xt: AxisTicks, yt: AxisTicks) {
            let top = (title == nil ? 14.0 : 44.0) + Double(labelRows) * 16 + (labelRows > 0 ? 2 : 0)
            var bottom = Style.tickLength + 4 + Style.tickSize + 10 + (xTitle == nil ? 0 : Style.axisTitleSize + 12)
            let rightLegendWidth = legend == .right ? AxisPainter.rightLegendWidth(items) : 0
            if legend == .bottom && !items.isEmpty {
                legendHeight = AxisPainter.bottomLegendLayout(items, width: width - 40).height
                bottom += legendHeight + 8
            }
            let plotHeight = max(40, height - top - bottom)
            let yt = yTicks(plotHeight: plotHeight)
            let left = AxisPainter.leftMargin(ticks: yt, title: yTitle)
            let right = max(24, rightLegendWidth + 8)
            let plotWidth = max(40, width - left - right)
            return (PlotArea(left: left, top: top, width: plotWidth, height: plotHeight), xTicks(plotWidth: plotWidth), yt)
        }
        func xScale(_ area: PlotArea, _ xt: AxisTicks) -> Scale {
            Scale(lower: xt.lower, upper: xt.upper == xt.lower ? xt.lower + 1 : xt.upper, isLog: false, start: area.left, end: area.right)
        }
        var (area, xt, yt) = layout(labelRows: 0)
        var topLabels = planTopLabels(xScale(area, xt))
        let rows = (topLabels.map(\.row).max() ?? -1) + 1
        if rows > 0 {
            (area, xt, yt) = layout(labelRows: rows)
            topLabels = planTopLabels(xScale(area, xt))
        }
        let xs = xScale(area, xt)
        let ys = Scale(lower: yt.lower, upper: yt.upper == yt.lower ? yt.lower + 1 : yt.upper, isLog: yScale == .log10, start: area.bottom, end: area.top)

        if let title {
            svg.text(title, x: area.left + area.width / 2, y: 28, size: Style.titleSize, anchor: .middle, weight: "600")
        }

        // Gridlines and axes go under the data.
        AxisPainter.drawY(&svg, area: area, scale: ys, ticks: yt, title: yTitle, titleX: 12 + Style.axisTitleSize * 0.8)
        AxisPainter.drawX(&svg, area: area, scale: xs, ticks: xt, title: xTitle,
                          titleY: area.bottom + Style.tickLength + 4 + Style.tickSize + 10 + Style.axisTitleSize)

        // Data layer, clipped to the plot area.
        var data = SVGWriter(width: width, height: height)
        for s in spans where s.from.isFinite && s.to.isFinite {
            let a = xs(min(s.from, s.to)), b = xs(max(s.from, s.to))
            data.rect(x: a, y: area.top, width: b - a, height: area.height, fill: s.color.hex, opacity: s.opacity)
        }
        for (i, b) in bands.enumerated() {
            let color = bandColor(i).hex
            var run: [(Double, Double, Double)] = []
            func flush() {
                if run.count >= 2 {
                    let upper = run.map { (xs($0.0), ys($0.2)) }
                    let lower = run.reversed().map { (xs($0.0), ys($0.1)) }
                    data.polygon(upper + lower, fill: color, opacity: b.opacity, cssClass: "band-\(i)")
                }
                run = []
            }
            for k in 0..<min(b.x.count, b.lower.count, b.upper.count) {
                if b.x[k].isFinite && ys.accepts(b.lower[k]) && ys.accepts(b.upper[k]) {
                    run.append((b.x[k], b.lower[k], b.upper[k]))
                } else { flush() }
            }
            flush()
        }
        for r in referenceLines where ys.accepts(r.y) {
            let yy = ys(r.y)
            data.line(x1: area.left, y1: yy, x2: area.right, y2: yy, stroke: r.color.hex, width: 1.2, dash: r.dash.dashArray(width: 1.2))
        }
        for (i, s) in series.enumerated() {
            let color = seriesColor(i).hex
            let runs = s.segments(accepts: ys.accepts)
            for run in runs {
                let pts = run.map { (xs($0.0), ys($0.1)) }
                if s.showLine {
                    if pts.count >= 2 {
                        data.polyline(pts, stroke: color, width: s.lineWidth, dash: s.dash.dashArray(width: s.lineWidth), cssClass: "series-\(i)")
                    } else if s.marker == nil, let p = pts.first {
                        data.marker(.circle, x: p.0, y: p.1, size: s.lineWidth * 2 + 1, fill: color, stroke: color)
                    }
                }
                if let m = s.marker {
                    for p in pts { data.marker(m, x: p.0, y: p.1, size: s.markerSize, fill: color, stroke: "#ffffff") }
                }
            }
        }
        for m in verticalMarkers where m.x.isFinite {
            let xx = xs(m.x)
            data.line(x1: xx, y1: area.top, x2: xx, y2: area.bottom, stroke: m.color.hex, width: 1.2, dash: m.dash.dashArray(width: 1.2))
        }
        AxisPainter.clipped(&svg, data, area: area)

        // Labels for markers, spans and reference lines (outside the clip so they are never cut).
        for label in topLabels {
            let y = area.top - 7 - Double(label.row) * 16
            for part in label.parts {
                svg.text(part.text, x: part.x, y: y, size: Style.annotationSize, anchor: part.anchor, fill: label.color, italic: label.italic)
            }
        }
        var occupied = dataPixels(xs: xs, ys: ys)
        for m in verticalMarkers where m.x.isFinite {
            occupied += stride(from: area.top, through: area.bottom, by: 3).map { (xs(m.x), $0) }
        }
        for r in referenceLines where !r.label.isEmpty && ys.accepts(r.y) {
            let p = placeReferenceLabel(r.label, y: ys(r.y), area: area, occupied: occupied)
            AxisPainter.haloText(&svg, r.label, x: p.x, y: p.y, size: Style.annotationSize, anchor: p.anchor, fill: r.color.hex)
        }

        // Legend outside the plot.
        if !items.isEmpty {
            switch legend {
            case .right:
                AxisPainter.drawRightLegend(&svg, items, x: area.right + 4, y: area.top)
            case .bottom:
                AxisPainter.drawBottomLegend(&svg, items, left: 20, top: height - legendHeight - 8, width: width - 40)
            case .none: break
            }
        }
        return svg.document(title: title)
    }
    /// A label above the plot for a vertical marker or span, assigned to a row so labels never overlap.
    package struct TopLabel {
        struct Part { var text: String; var x: Double; var anchor: TextAnchor }
        var parts: [Part]
        var minX: Double, maxX: Double
        var color: String
        var italic: Bool
        var row: Int
    }

    /// Positions marker and span labels; a label that would overlap one already placed moves up a row.
    package func planTopLabels(_ xs: Scale) -> [TopLabel] {
        let size = Style.annotationSize
        var labels: [TopLabel] = []
        for s in spans where !s.label.isEmpty && s.from.isFinite && s.to.isFinite {
            let a = max(xs.start, xs(min(s.from, s.to))), b = min(xs.end, xs(max(s.from, s.to)))
            let w = TextMetrics.width(s.label, size: size)
            let cx = min(max((a + b) / 2, xs.start + w / 2), width - w / 2 - 4)
            labels.append(TopLabel(parts: [.init(text: s.label, x: cx, anchor: .middle)], minX: cx - w / 2, maxX: cx + w / 2,
                                   color: Palette.mutedText, italic: true, row: 0))
        }
        for m in verticalMarkers where !m.label.isEmpty && m.x.isFinite {
            let xx = xs(m.x)
            let pieces = m.label.components(separatedBy: " | ")
            if pieces.count == 2 {
                let l = "\u{2190} " + pieces[0], r = pieces[1] + " \u{2192}"
                let wl = TextMetrics.width(l, size: size), wr = TextMetrics.width(r, size: size)
                labels.append(TopLabel(parts: [.init(text: l, x: xx - 5, anchor: .end), .init(text: r, x: xx + 5, anchor: .start)],
                                       minX: xx - 5 - wl, maxX: xx + 5 + wr, color: m.color.hex, italic: false, row: 0))
            } else {
                let w = TextMetrics.width(m.label, size: size)
                let cx = min(max(xx, w / 2 + 4), width - w / 2 - 4)
                labels.append(TopLabel(parts: [.init(text: m.label, x: cx, anchor: .middle)], minX: cx - w / 2, maxX: cx + w / 2,
                                       color: m.color.hex, italic: false, row: 0))
            }
        }
        for i in labels.indices {
            var row = 0
            while labels[..<i].contains(where: { $0.row == row && $0.minX < labels[i].maxX + 8 && labels[i].minX < $0.maxX + 8 }) { row += 1 }
            labels[i].row = row
        }
        return labels
    }

    /// Pixel positions along every drawn series and band edge (segments sampled every few pixels).
    package func dataPixels(xs: Scale, ys: Scale) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        func addRun(_ pts: [(Double, Double)]) {
            for (a, b) in zip(pts, pts.dropFirst()) {
                let n = max(1, Int(hypot(b.0 - a.0, b.1 - a.1) / 4))
                for k in 0..<n {
                    let t = Double(k) / Double(n)
                    out.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
                }
            }
            if let last = pts.last { out.append(last) }
        }
        for s in series {
            for run in s.segments(accepts: ys.accepts) { addRun(run.map { (xs($0.0), ys($0.1)) }) }
        }
        for b in bands {
            let n = min(b.x.count, b.lower.count, b.upper.count)
            let lower = LineSeries("", x: Array(b.x[..<n]), y: Array(b.lower[..<n]))
            let upper = LineSeries("", x: Array(b.x[..<n]), y: Array(b.upper[..<n]))
            for run in lower.segments(accepts: ys.accepts) + upper.segments(accepts: ys.accepts) {
                addRun(run.map { (xs($0.0), ys($0.1)) })
            }
        }
        return out
    }

    /// Chooses the end of a reference line and the side (above/below) where its label covers the least data.
    package func placeReferenceLabel(_ text: String, y: Double, area: PlotArea, occupied: [(Double, Double)]) -> (x: Double, y: Double, anchor: TextAnchor) {
        let size = Style.annotationSize
        let w = TextMetrics.width(text, size: size)
        let candidates: [(x: Double, y: Double, anchor: TextAnchor)] = [
            (area.right - 6, y - 5, .end), (area.right - 6, y + size + 3, .end),
            (area.left + 6, y - 5, .start), (area.left + 6, y + size + 3, .start),
        ]
        var best = candidates[0], bestCount = Int.max
        for c in candidates {
            let x0 = c.anchor == .end ? c.x - w : c.x
            let box = (x0 - 3, c.y - size - 1, x0 + w + 3, c.y + 3)
            if box.1 < area.top || box.3 > area.bottom { continue }
            let count = occupied.reduce(0) { $0 + (($1.0 >= box.0 && $1.0 <= box.2 && $1.1 >= box.1 && $1.1 <= box.3) ? 1 : 0) }
            if count < bestCount { best = c; bestCount = count }
        }
        return best
    }
}
