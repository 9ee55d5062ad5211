import Foundation

/// Options shared by chart axes.
public struct AxisOptions: Equatable, Sendable {
    /// Axis title, e.g. "PM2.5 concentration".
    public var label: String?
    /// Unit, shown in parentheses after the label, e.g. "µg/m³".
    public var unit: String?
    /// Force the lower end of the axis (data units; seconds for date axes).
    public var min: Double?
    /// Force the upper end of the axis.
    public var max: Double?
    /// Extend a linear axis to include zero.
    public var includeZero: Bool

    public init(label: String? = nil, unit: String? = nil, min: Double? = nil, max: Double? = nil, includeZero: Bool = false) {
        self.label = label; self.unit = unit; self.min = min; self.max = max; self.includeZero = includeZero
    }

    /// "label (unit)", "label", "(unit)" or nil.
    package var title: String? {
        switch (label, unit) {
        case let (l?, u?) where !u.isEmpty: return "\(l) (\(u))"
        case let (l?, _): return l
        case let (nil, u?): return "(\(u))"
        default: return nil
        }
    }
}

/// Where a legend goes; it is always outside the plot area.
public enum LegendPosition: Equatable, Sendable {
    case right, bottom, none
}

/// Maps data values to pixel positions along one axis.
package struct Scale {
    package var lower: Double
    package var upper: Double
    package var isLog: Bool
    package var start: Double   // pixel of `lower`
    package var end: Double     // pixel of `upper`

    package func t(_ v: Double) -> Double {
        if isLog {
            let a = log10(lower), b = log10(upper)
            return (log10(v) - a) / (b - a)
        }
        return (v - lower) / (upper - lower)
    }

    package func callAsFunction(_ v: Double) -> Double { start + t(v) * (end - start) }

    /// Whether `v` can be placed on this axis at all.
    package func accepts(_ v: Double) -> Bool { v.isFinite && (!isLog || v > 0) }
}

/// The plot rectangle inside a chart.
package struct PlotArea {
    package var left: Double, top: Double, width: Double, height: Double
    package var right: Double { left + width }
    package var bottom: Double { top + height }
}

/// Font sizes and spacing shared by all charts.
package enum Style {
    package static let titleSize = 17.0
    package static let axisTitleSize = 13.0
    package static let tickSize = 12.0
    package static let legendSize = 12.0
    package static let annotationSize = 11.5
    package static let tickLength = 5.0
}

/// A legend entry.
package struct LegendItem {
    package enum Swatch { case line(color: String, dash: DashStyle, width: Double, marker: MarkerShape?, showLine: Bool), area(color: String, opacity: Double) }
    package var label: String
    package var swatch: Swatch
}

/// Drawing helpers shared by the Cartesian charts.
package enum AxisPainter {
    /// Horizontal gridlines, tick marks and labels for a vertical (y) axis on the left.
    package static func drawY(_ svg: inout SVGWriter, area: PlotArea, scale: Scale, ticks: AxisTicks, title: String?, titleX: Double) {
        for m in ticks.minor where m >= scale.lower && m <= scale.upper {
            let y = scale(m)
            svg.line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: "#f3f3f3")
            svg.line(x1: area.left - 3, y1: y, x2: area.left, y2: y, stroke: Palette.axis)
        }
        for t in ticks.ticks {
            let y = scale(t.value)
            svg.line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: Palette.grid)
            svg.line(x1: area.left - Style.tickLength, y1: y, x2: area.left, y2: y, stroke: Palette.axis)
            // text-anchor end aligns the whole label, superscript included, so it ends at the tick.
            svg.text(t.label, x: area.left - Style.tickLength - 4, y: y + Style.tickSize * 0.35, size: Style.tickSize,
                     anchor: .end, fill: Palette.mutedText, superscript: t.exponent)
        }
        svg.line(x1: area.left, y1: area.top, x2: area.left, y2: area.bottom, stroke: Palette.axis)
        if let title {
            let cy = area.top + area.height / 2
            svg.text(title, x: titleX, y: cy, size: Style.axisTitleSize, anchor: .middle, fill: Palette.text, rotate: -90)
        }
    }

    /// Vertical gridlines, tick marks and labels for a horizontal (x) axis at the bottom.
    package static func drawX(_ svg: inout SVGWriter, area: PlotArea, scale: Scale, ticks: AxisTicks, title: String?, titleY: Double, grid: Bool = true) {
        for t in ticks.ticks {
            let x = scale(t.value)
            if grid { svg.line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: Palette.grid) }
            svg.line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + Style.tickLength, stroke: Palette.axis)
            svg.text(t.label, x: x, y: area.bottom + Style.tickLength + 4 + Style.tickSize * 0.8, size: Style.tickSize,
                     anchor: .middle, fill: Palette.mutedText, superscript: t.exponent)
        }
        svg.line(x1: area.left, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: Palette.axis)
        if let title {
            svg.text(title, x: area.left + area.width / 2, y: titleY, size: Style.axisTitleSize, anchor: .middle, fill: Palette.text)
        }
    }

    /// Space needed left of the plot for y tick labels and the rotated y title.
    package static func leftMargin(ticks: AxisTicks, title: String?) -> Double {
        let widest = ticks.ticks.map { TextMetrics.width($0, size: Style.tickSize) }.max() ?? 0
        return 12 + (title == nil ? 0 : Style.axisTitleSize + 10) + widest + Style.tickLength + 4
    }

    package static func legendSwatch(_ svg: inout SVGWriter, _ item: LegendItem, x: Double, y: Double) {
        switch item.swatch {
        case let .line(color, dash, width, marker, showLine):
            if showLine {
                svg.line(x1: x, y1: y, x2: x + 24, y2: y, stroke: color, width: width, dash: dash.dashArray(width: width))
            }
            if let marker { svg.marker(marker, x: x + 12, y: y, size: 7, fill: color, stroke: "#ffffff") }
        case let .area(color, opacity):
            svg.rect(x: x, y: y - 6, width: 24, height: 12, fill: color, opacity: opacity)
        }
    }

    /// Width of a right-hand legend.
    package static func rightLegendWidth(_ items: [LegendItem]) -> Double {
        guard !items.isEmpty else { return 0 }
        return 16 + 24 + 8 + (items.map { TextMetrics.width($0.label, size: Style.legendSize) }.max() ?? 0) + 12
    }

    /// Draws a legend in a column starting at (x, y).
    package static func drawRightLegend(_ svg: inout SVGWriter, _ items: [LegendItem], x: Double, y: Double) {
        for (i, item) in items.enumerated() {
            let cy = y + 8 + Double(i) * 20
            legendSwatch(&svg, item, x: x + 16, y: cy)
            svg.text(item.label, x: x + 16 + 24 + 8, y: cy + Style.legendSize * 0.35, size: Style.legendSize, fill: Palette.text)
        }
    }

    /// Lays out a bottom legend in rows no wider than `width`; returns each item's origin and the height.
    package static func bottomLegendLayout(_ items: [LegendItem], width: Double) -> (positions: [(Double, Double)], height: Double) {
        var positions: [(Double, Double)] = []
        var x = 0.0, row = 0.0
        for item in items {
            let w = 24 + 6 + TextMetrics.width(item.label, size: Style.legendSize) + 20
            if x > 0 && x + w > width { x = 0; row += 1 }
            positions.append((x, row * 20))
            x += w
        }
        // Centre each row.
        var result: [(Double, Double)] = []
        var i = 0
        while i < positions.count {
            var j = i
            while j + 1 < positions.count && positions[j + 1].1 == positions[i].1 { j += 1 }
            let rowWidth = positions[j].0 + 24 + 6 + TextMetrics.width(items[j].label, size: Style.legendSize)
            let shift = max(0, (width - rowWidth) / 2)
            for k in i...j { result.append((positions[k].0 + shift, positions[k].1)) }
            i = j + 1
        }
        return (result, items.isEmpty ? 0 : (row + 1) * 20)
    }

    package static func drawBottomLegend(_ svg: inout SVGWriter, _ items: [LegendItem], left: Double, top: Double, width: Double) {
        let layout = bottomLegendLayout(items, width: width)
        for (item, p) in zip(items, layout.positions) {
            let cy = top + p.1 + 8
            legendSwatch(&svg, item, x: left + p.0, y: cy)
            svg.text(item.label, x: left + p.0 + 30, y: cy + Style.legendSize * 0.35, size: Style.legendSize, fill: Palette.text)
        }
    }

    /// Text with a white halo so it stays readable over gridlines and data.
    package static func haloText(_ svg: inout SVGWriter, _ s: String, x: Double, y: Double, size: Double, anchor: TextAnchor, fill: String, italic: Bool = false) {
        var a = "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" font-size=\"\(SVG.num(size))\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""
        if anchor != .start { a += " text-anchor=\"\(anchor.rawValue)\"" }
        if italic { a += " font-style=\"italic\"" }
        svg.raw(a + ">\(Escape.xml(s))</text>")
    }

    /// Wraps the clip-path definition and the clipped group around data elements.
    package static func clipped(_ svg: inout SVGWriter, _ data: SVGWriter, area: PlotArea) {
        let id = "clip-" + SVG.hash(data.body.joined())
        svg.raw("<defs><clipPath id=\"\(id)\"><rect x=\"\(SVG.num(area.left))\" y=\"\(SVG.num(area.top - 1))\" width=\"\(SVG.num(area.width + 1))\" height=\"\(SVG.num(area.height + 2))\"/></clipPath></defs>")
        svg.openGroup("clip-path=\"url(#\(id))\"")
        for e in data.body { svg.raw(e) }
        svg.closeGroup()
    }
}
