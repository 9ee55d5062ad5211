import Foundation

/// One line (or marker-only) series of a ``LineChart``.
///
/// `y` values that are `nil` or NaN are gaps: the line breaks there. On a log axis values ≤ 0
/// are gaps too. Dates are stored as seconds since 1970-01-01 00:00 (naive UTC, see ``ChartDate``).
public struct LineSeries: Equatable, Sendable {
    /// Legend text; an empty label keeps the series out of the legend.
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// Line and marker color; nil picks the next palette color.
    public var color: ChartColor?
    public var dash: DashStyle
    public var lineWidth: Double
    /// Marker drawn at every point; nil for none.
    public var marker: MarkerShape?
    public var markerSize: Double
    /// false draws markers only (scatter style).
    public var showLine: Bool
    /// true when the x values came from dates.
    public var xIsDate: Bool

    /// A series over numeric x.
    public init(_ label: String, x: [Double], y: [Double?], color: ChartColor? = nil, dash: DashStyle = .solid,
                lineWidth: Double = 1.8, marker: MarkerShape? = nil, markerSize: Double = 6, showLine: Bool = true) {
        self.label = label
        self.x = x
        self.y = y.map { $0 ?? .nan }
        self.color = color; self.dash = dash; self.lineWidth = lineWidth
        self.marker = marker; self.markerSize = markerSize; self.showLine = showLine
        self.xIsDate = false
    }

    /// A series over dates.
    public init(_ label: String, dates: [ChartDate], y: [Double?], color: ChartColor? = nil, dash: DashStyle = .solid,
                lineWidth: Double = 1.8, marker: MarkerShape? = nil, markerSize: Double = 6, showLine: Bool = true) {
        self.init(label, x: dates.map(\.secondsSinceEpoch), y: y, color: color, dash: dash, lineWidth: lineWidth,
                  marker: marker, markerSize: markerSize, showLine: showLine)
        self.xIsDate = true
    }

    /// Runs of consecutive drawable points; a gap (non-finite x or y, or `accepts` false) ends a run.
    package func segments(accepts: (Double) -> Bool) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = []
        var current: [(Double, Double)] = []
        for i in 0..<min(x.count, y.count) {
            if x[i].isFinite && y[i].isFinite && accepts(y[i]) {
                current.append((x[i], y[i]))
            } else if !current.isEmpty {
                runs.append(current); current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

/// A filled band between `lower` and `upper` (e.g. min–max across seeds, a prediction interval).
public struct LineBand: Equatable, Sendable {
    /// Legend text; empty keeps it out of the legend.
    public var label: String
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    /// nil uses the color of the series with the same index, else palette order.
    public var color: ChartColor?
    public var opacity: Double
    public var xIsDate: Bool

    public init(_ label: String = "", x: [Double], lower: [Double], upper: [Double], color: ChartColor? = nil, opacity: Double = 0.2) {
        self.label = label; self.x = x; self.lower = lower; self.upper = upper
        self.color = color; self.opacity = opacity; self.xIsDate = false
    }

    public init(_ label: String = "", dates: [ChartDate], lower: [Double], upper: [Double], color: ChartColor? = nil, opacity: Double = 0.2) {
        self.init(label, x: dates.map(\.secondsSinceEpoch), lower: lower, upper: upper, color: color, opacity: opacity)
        self.xIsDate = true
    }
}

/// A horizontal line across the plot at `y`, labelled at its right end (e.g. "naive baseline").
public struct ReferenceLine: Equatable, Sendable {
    public var y: Double
    public var label: String
    public var color: ChartColor
    public var dash: DashStyle

    public init(y: Double, label: String = "", color: ChartColor = .darkGray, dash: DashStyle = .dashed) {
        self.y = y; self.label = label; self.color = color; self.dash = dash
    }
}

/// A vertical line at `x` labelled above the plot. A label of the form "train | test" is split
/// around the line: "train" on its left, "test" on its right.
public struct VerticalMarker: Equatable, Sendable {
    public var x: Double
    public var label: String
    public var color: ChartColor
    public var dash: DashStyle

    public init(x: Double, label: String = "", color: ChartColor = .darkGray, dash: DashStyle = .dashed) {
        self.x = x; self.label = label; self.color = color; self.dash = dash
    }

    public init(date: ChartDate, label: String = "", color: ChartColor = .darkGray, dash: DashStyle = .dashed) {
        self.init(x: date.secondsSinceEpoch, label: label, color: color, dash: dash)
    }
}

/// A shaded vertical span from `from` to `to` (e.g. the forecast horizon), labelled above the plot.
public struct ShadedSpan: Equatable, Sendable {
    public var from: Double
    public var to: Double
    public var label: String
    public var color: ChartColor
    public var opacity: Double

    public init(from: Double, to: Double, label: String = "", color: ChartColor = .gray, opacity: Double = 0.1) {
        self.from = from; self.to = to; self.label = label; self.color = color; self.opacity = opacity
    }

    public init(from: ChartDate, to: ChartDate, label: String = "", color: ChartColor = .gray, opacity: Double = 0.1) {
        self.init(from: from.secondsSinceEpoch, to: to.secondsSinceEpoch, label: label, color: color, opacity: opacity)
    }
}
