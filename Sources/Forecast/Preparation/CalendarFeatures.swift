import Foundation

/// Cyclic calendar features, each as a sin/cos pair.
public struct CalendarFeatures: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Hour of day, period 24.
    public static let hour = CalendarFeatures(rawValue: 1)
    /// ISO weekday, period 7.
    public static let weekday = CalendarFeatures(rawValue: 2)
    /// Month of year, period 12.
    public static let month = CalendarFeatures(rawValue: 4)

    /// Feature names in the order `values(at:)` returns them.
    public var names: [String] {
        var out: [String] = []
        if contains(.hour) { out += ["hour_sin", "hour_cos"] }
        if contains(.weekday) { out += ["weekday_sin", "weekday_cos"] }
        if contains(.month) { out += ["month_sin", "month_cos"] }
        return out
    }

    /// The feature values of one time stamp.
    public func values(at t: LocalDateTime) -> [Double] {
        func pair(_ x: Int, _ period: Int) -> [Double] {
            let a = 2 * Double.pi * Double(x) / Double(period)
            return [sin(a), cos(a)]
        }
        var out: [Double] = []
        if contains(.hour) { out += pair(t.hour, 24) }
        if contains(.weekday) { out += pair(t.weekday - 1, 7) }
        if contains(.month) { out += pair(t.month - 1, 12) }
        return out
    }
}
