import Foundation

/// An sRGB color with 8-bit channels.
public struct ChartColor: Equatable, Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    /// Creates a color from 8-bit channel values.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red; self.green = green; self.blue = blue
    }

    /// Creates a color from `"#rrggbb"` or `"rrggbb"`; invalid input gives black.
    public init(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let value = UInt32(digits, radix: 16) ?? 0
        self.init(red: UInt8((value >> 16) & 0xFF), green: UInt8((value >> 8) & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `"#rrggbb"`, lower case.
    public var hex: String { String(format: "#%02x%02x%02x", red, green, blue) }

    /// Relative luminance in 0...1 (WCAG definition), used to pick readable text on a fill.
    public var luminance: Double {
        func lin(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * lin(red) + 0.7152 * lin(green) + 0.0722 * lin(blue)
    }

    /// Linear interpolation between two colors, `t` in 0...1.
    public static func mix(_ a: ChartColor, _ b: ChartColor, _ t: Double) -> ChartColor {
        let u = min(max(t, 0), 1)
        func ch(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * u).rounded()) }
        return ChartColor(red: ch(a.red, b.red), green: ch(a.green, b.green), blue: ch(a.blue, b.blue))
    }

    public static let black = ChartColor(hex: "#000000")
    public static let white = ChartColor(hex: "#ffffff")
    public static let gray = ChartColor(hex: "#7f7f7f")
    public static let darkGray = ChartColor(hex: "#444444")
}

/// Default colors for series: the Tableau 10 palette (distinct, print-friendly).
public enum Palette {
    /// The ten categorical colors in order.
    public static let categorical: [ChartColor] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ].map { ChartColor(hex: $0) }

    /// The categorical color for index `i`, cycling.
    public static func color(_ i: Int) -> ChartColor { categorical[((i % categorical.count) + categorical.count) % categorical.count] }

    // Shared styling constants used by all charts.
    package static let fontFamily = "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
    package static let text = "#222222"
    package static let mutedText = "#555555"
    package static let grid = "#e6e6e6"
    package static let axis = "#555555"
    package static let reference = "#444444"
}

/// A continuous color scale for heatmaps.
public enum ColorScale: Equatable, Sendable {
    /// Perceptually uniform dark-purple → yellow.
    case viridis
    /// White → dark blue; good for counts such as a confusion matrix.
    case blues
    /// Blue → white → red around `center` (e.g. 0 for signed errors).
    case diverging(center: Double)

    package var stops: [ChartColor] {
        switch self {
        case .viridis: return ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"].map { ChartColor(hex: $0) }
        case .blues: return ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"].map { ChartColor(hex: $0) }
        case .diverging: return ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"].map { ChartColor(hex: $0) }
        }
    }

    /// The color at position `t` in 0...1 along the scale.
    public func color(at t: Double) -> ChartColor {
        let s = stops
        guard t.isFinite else { return ChartColor(hex: "#dddddd") }
        let u = min(max(t, 0), 1) * Double(s.count - 1)
        let i = min(Int(u), s.count - 2)
        return ChartColor.mix(s[i], s[i + 1], u - Double(i))
    }
}

/// Line dash patterns.
public enum DashStyle: Equatable, Sendable {
    case solid, dashed, dotted, dashDot

    /// The SVG `stroke-dasharray` value for a line of width `w`, or nil for solid.
    package func dashArray(width w: Double) -> String? {
        switch self {
        case .solid: return nil
        case .dashed: return "\(SVG.num(4 * w + 2)) \(SVG.num(2 * w + 2))"
        case .dotted: return "\(SVG.num(w)) \(SVG.num(1.5 * w + 1))"
        case .dashDot: return "\(SVG.num(4 * w + 2)) \(SVG.num(1.5 * w + 1)) \(SVG.num(w)) \(SVG.num(1.5 * w + 1))"
        }
    }
}

/// Marker shapes drawn at data points.
public enum MarkerShape: Equatable, Sendable {
    case circle, square, triangle, diamond
}
