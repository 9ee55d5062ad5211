import Foundation

/// Calendar tick intervals for date axes, from minutes to decades.
public enum DateTickUnit: Equatable, Sendable {
    case minutes(Int), hours(Int), days(Int), weeks(Int), months(Int), years(Int)

    /// Approximate length in seconds (months 30.44 days, years 365.25 days), used to choose.
    package var approximateSeconds: Double {
        switch self {
        case .minutes(let n): return Double(n) * 60
        case .hours(let n): return Double(n) * 3600
        case .days(let n): return Double(n) * 86_400
        case .weeks(let n): return Double(n) * 7 * 86_400
        case .months(let n): return Double(n) * 30.436875 * 86_400
        case .years(let n): return Double(n) * 365.2425 * 86_400
        }
    }

    package static let candidates: [DateTickUnit] = [
        .minutes(1), .minutes(5), .minutes(10), .minutes(15), .minutes(30),
        .hours(1), .hours(2), .hours(3), .hours(6), .hours(12),
        .days(1), .days(2), .weeks(1), .weeks(2),
        .months(1), .months(2), .months(3), .months(6),
        .years(1), .years(2), .years(5), .years(10), .years(20), .years(50), .years(100), .years(200), .years(500), .years(1000),
    ]
}

/// Tick selection for date axes. Values are seconds since 1970-01-01 00:00 read as naive UTC
/// (see ``ChartDate``). The unit is the finest calendar interval giving at most `maxTicks`
/// ticks inside the span; ticks sit on calendar boundaries (midnight, Mondays for weeks, first of month, 1 Jan).
///
/// Labels: minutes/hours "12:00" (midnight shows the day, "Mar 12"); days and weeks "Mar 12";
/// months "2024-03"; years "2024".
public enum DateTicks {
    /// The finest calendar unit whose ticks inside `min...max` (seconds) number at most `maxTicks`.
    public static func unit(min lo: Double, max hi: Double, maxTicks: Int) -> DateTickUnit {
        let n = max(2, maxTicks)
        for u in DateTickUnit.candidates where (hi - lo) / u.approximateSeconds <= Double(n) + 1 {
            if boundaries(min: lo, max: hi, unit: u, limit: n + 1).count <= n { return u }
        }
        return .years(1000)
    }

    /// Calendar boundaries of `unit` inside `min...max`, at most `limit` of them.
    package static func boundaries(min lo: Double, max hi: Double, unit: DateTickUnit, limit: Int) -> [ChartDate] {
        var out: [ChartDate] = []
        var t = firstBoundary(atOrAfter: lo, unit: unit)
        while t.secondsSinceEpoch <= hi + 1e-6 && out.count < limit {
            out.append(t)
            t = advance(t, unit: unit)
        }
        return out
    }

    /// Ticks covering `min...max` (seconds since epoch); the domain is the data span itself.
    public static func ticks(min lo: Double, max hi: Double, maxTicks: Int = 7) -> AxisTicks {
        var a = lo, b = hi
        if !a.isFinite || !b.isFinite { a = 0; b = 86_400 }
        if a > b { swap(&a, &b) }
        if a == b { a -= 43_200; b += 43_200 }
        let u = unit(min: a, max: b, maxTicks: maxTicks)
        let ticks = boundaries(min: a, max: b, unit: u, limit: 10_000).map {
            Tick(value: $0.secondsSinceEpoch, label: label($0, unit: u))
        }
        return AxisTicks(lower: a, upper: b, ticks: ticks)
    }

    /// The label for a tick at `d` with the given unit.
    public static func label(_ d: ChartDate, unit: DateTickUnit) -> String {
        let mon = ChartDate.monthAbbreviations[d.month - 1]
        switch unit {
        case .minutes, .hours:
            if d.hour == 0 && d.minute == 0 { return "\(mon) \(d.day)" }
            return String(format: "%02d:%02d", d.hour, d.minute)
        case .days, .weeks:
            return "\(mon) \(d.day)"
        case .months:
            return String(format: "%04d-%02d", d.year, d.month)
        case .years:
            return String(d.year)
        }
    }

    package static func firstBoundary(atOrAfter s: Double, unit: DateTickUnit) -> ChartDate {
        let d = ChartDate(secondsSinceEpoch: s)
        var c: ChartDate
        switch unit {
        case .minutes(let n):
            let total = Int(floor(s / 60))
            c = ChartDate(secondsSinceEpoch: Double((total / n) * n) * 60)
        case .hours(let n):
            c = ChartDate(year: d.year, month: d.month, day: d.day, hour: (d.hour / n) * n)
        case .days(let n):
            let days = d.daysSinceEpoch
            let aligned = Int(floor(Double(days) / Double(n))) * n
            c = ChartDate(secondsSinceEpoch: Double(aligned) * 86_400)
        case .weeks:
            let midnight = ChartDate(year: d.year, month: d.month, day: d.day)
            c = midnight.addingDays(-midnight.weekday)
        case .months(let n):
            c = ChartDate(year: d.year, month: ((d.month - 1) / n) * n + 1, day: 1)
        case .years(let n):
            let y = Int(floor(Double(d.year) / Double(n))) * n
            c = ChartDate(year: y, month: 1, day: 1)
        }
        while c.secondsSinceEpoch < s - 1e-6 { c = advance(c, unit: unit) }
        return c
    }

    package static func advance(_ d: ChartDate, unit: DateTickUnit) -> ChartDate {
        switch unit {
        case .minutes(let n): return ChartDate(secondsSinceEpoch: d.secondsSinceEpoch + Double(n) * 60)
        case .hours(let n):
            // n divides 24, so ticks stay aligned within each day (e.g. 00, 06, 12, 18).
            return ChartDate(secondsSinceEpoch: d.secondsSinceEpoch + Double(n) * 3600)
        case .days(let n): return d.addingDays(n)
        case .weeks(let n): return d.addingDays(7 * n)
        case .months(let n): return d.addingMonths(n)
        case .years(let n): return ChartDate(year: d.year + n, month: 1, day: 1)
        }
    }
}
