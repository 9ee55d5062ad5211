import Foundation

/// Number formatting and document helpers for SVG output.
package enum SVG {
    /// Formats a coordinate with at most two decimals and no trailing zeros.
    package static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// A short deterministic hash (FNV-1a) used to make element ids unique per chart.
    package static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 36)
    }
}

/// Horizontal text anchoring.
package enum TextAnchor: String { case start, middle, end }

/// Accumulates SVG elements and produces a complete document.
package struct SVGWriter {
    private(set) var body: [String] = []
    package var width: Double
    package var height: Double

    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    package mutating func raw(_ s: String) { body.append(s) }

    package mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, strokeWidth: Double = 1, opacity: Double? = nil, extra: String = "") {
        var a = "<rect x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" width=\"\(SVG.num(max(0, width)))\" height=\"\(SVG.num(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { a += " stroke=\"\(stroke)\" stroke-width=\"\(SVG.num(strokeWidth))\"" }
        if let opacity { a += " fill-opacity=\"\(SVG.num(opacity))\"" }
        if !extra.isEmpty { a += " " + extra }
        body.append(a + "/>")
    }

    package mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil, extra: String = "") {
        var a = "<line x1=\"\(SVG.num(x1))\" y1=\"\(SVG.num(y1))\" x2=\"\(SVG.num(x2))\" y2=\"\(SVG.num(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.num(width))\""
        if let dash { a += " stroke-dasharray=\"\(dash)\"" }
        if !extra.isEmpty { a += " " + extra }
        body.append(a + "/>")
    }

    /// An open polyline as a `<path>`.
    package mutating func polyline(_ pts: [(Double, Double)], stroke: String, width: Double, dash: String?, cssClass: String? = nil) {
        guard let first = pts.first else { return }
        var d = "M\(SVG.num(first.0)),\(SVG.num(first.1))"
        for p in pts.dropFirst() { d += " L\(SVG.num(p.0)),\(SVG.num(p.1))" }
        var a = "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.num(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
        if let dash { a += " stroke-dasharray=\"\(dash)\"" }
        if let cssClass { a += " class=\"\(cssClass)\"" }
        body.append(a + "/>")
    }

    /// A closed filled polygon.
    package mutating func polygon(_ pts: [(Double, Double)], fill: String, opacity: Double, cssClass: String? = nil) {
        guard pts.count >= 3 else { return }
        let p = pts.map { "\(SVG.num($0.0)),\(SVG.num($0.1))" }.joined(separator: " ")
        var a = "<polygon points=\"\(p)\" fill=\"\(fill)\" fill-opacity=\"\(SVG.num(opacity))\" stroke=\"none\""
        if let cssClass { a += " class=\"\(cssClass)\"" }
        body.append(a + "/>")
    }

    package mutating func marker(_ shape: MarkerShape, x: Double, y: Double, size: Double, fill: String, stroke: String) {
        let r = size / 2
        let common = "fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1\""
        switch shape {
        case .circle:
            body.append("<circle cx=\"\(SVG.num(x))\" cy=\"\(SVG.num(y))\" r=\"\(SVG.num(r))\" \(common)/>")
        case .square:
            body.append("<rect x=\"\(SVG.num(x - r))\" y=\"\(SVG.num(y - r))\" width=\"\(SVG.num(size))\" height=\"\(SVG.num(size))\" \(common)/>")
        case .triangle:
            let h = r * 1.15
            body.append("<polygon points=\"\(SVG.num(x)),\(SVG.num(y - h)) \(SVG.num(x + h)),\(SVG.num(y + h * 0.8)) \(SVG.num(x - h)),\(SVG.num(y + h * 0.8))\" \(common)/>")
        case .diamond:
            let h = r * 1.25
            body.append("<polygon points=\"\(SVG.num(x)),\(SVG.num(y - h)) \(SVG.num(x + h)),\(SVG.num(y)) \(SVG.num(x)),\(SVG.num(y + h)) \(SVG.num(x - h)),\(SVG.num(y))\" \(common)/>")
        }
    }

    /// Text whose baseline is at `y`. `rotate` is in degrees about (x, y).
    /// `superscript` is appended as a raised, smaller run (used for 10^k labels).
    package mutating func text(_ s: String, x: Double, y: Double, size: Double, anchor: TextAnchor = .start,
                       fill: String = Palette.text, weight: String? = nil, rotate: Double? = nil,
                       superscript: String? = nil, italic: Bool = false) {
        var a = "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" font-size=\"\(SVG.num(size))\" fill=\"\(fill)\""
        if anchor != .start { a += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { a += " font-weight=\"\(weight)\"" }
        if italic { a += " font-style=\"italic\"" }
        if let rotate { a += " transform=\"rotate(\(SVG.num(rotate)) \(SVG.num(x)) \(SVG.num(y)))\"" }
        var content = Escape.xml(s)
        if let superscript {
            let dy = size * 0.45
            content += "<tspan dy=\"-\(SVG.num(dy))\" font-size=\"\(SVG.num(size * 0.72))\">\(Escape.xml(superscript))</tspan>"
        }
        body.append(a + ">" + content + "</text>")
    }

    package mutating func openGroup(_ attributes: String) { body.append("<g \(attributes)>") }
    package mutating func closeGroup() { body.append("</g>") }

    /// The complete `<svg>` document: white background, sans-serif text, `viewBox` matching
    /// width and height. No XML declaration, so the string can be inlined into HTML as is.
    package func document(title: String?) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVG.num(width))\" height=\"\(SVG.num(height))\" viewBox=\"0 0 \(SVG.num(width)) \(SVG.num(height))\" font-family=\"\(Palette.fontFamily)\" role=\"img\">\n"
        if let title, !title.isEmpty { out += "<title>\(Escape.xml(title))</title>\n" }
        out += "<rect x=\"0\" y=\"0\" width=\"\(SVG.num(width))\" height=\"\(SVG.num(height))\" fill=\"#ffffff\"/>\n"
        for line in body { out += line; out += "\n" }
        out += "</svg>\n"
        return out
    }
}

/// Approximate text widths for layout (Helvetica/Arial metrics), so labels can be placed
/// without a font engine.
package enum TextMetrics {
    package static func width(_ s: String, size: Double) -> Double {
        var em = 0.0
        for ch in s {
            switch ch {
            case "i", "j", "l", "'", "|", "!", ".", ",", ":", ";", "I": em += 0.26
            case "f", "t", "r", " ", "(", ")", "[", "]", "/", "-", "\u{2212}": em += 0.36
            case "m", "w", "M", "W", "%", "@": em += 0.86
            case "0"..."9", "$", "+", "=", "<", ">", "~", "_", "#": em += 0.56
            case "a"..."z": em += 0.52
            case "A"..."Z": em += 0.67
            default: em += 0.6
            }
        }
        // 8 % head-room: the renderer may fall back to DejaVu Sans, which is wider than Helvetica.
        return em * size * 1.08
    }

    /// Width of a tick label, counting a superscript run at 72 % size.
    package static func width(_ tick: Tick, size: Double) -> Double {
        width(tick.label, size: size) + (tick.exponent.map { width($0, size: size * 0.72) } ?? 0)
    }
}
