import Foundation

/// A calendar date-time for chart axes: naive wall-clock time with no time zone, using the
/// proleptic Gregorian calendar. Charts place dates on the x axis as `Double` seconds since
/// 1970-01-01 00:00, interpreting that number as naive UTC wall time (no DST, no leap seconds);
/// ``secondsSinceEpoch`` and ``init(secondsSinceEpoch:)`` convert between the two.
public struct ChartDate: Equatable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1...12
    public var month: Int
    /// 1...31
    public var day: Int
    /// 0...23
    public var hour: Int
    /// 0...59
    public var minute: Int

    /// Creates a date-time; fields are taken as given (use ``normalized`` to fold overflow).
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        self.year = year; self.month = month; self.day = day; self.hour = hour; self.minute = minute
    }

    /// The date-time `seconds` after 1970-01-01 00:00 (naive UTC); seconds are truncated to minutes.
    public init(secondsSinceEpoch seconds: Double) {
        let total = Int(floor(seconds / 60))
        let days = Int(floor(Double(total) / 1440))
        let minuteOfDay = total - days * 1440
        let (y, m, d) = ChartDate.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// The wall-clock fields of a Foundation `Date` in UTC.
    public init(_ date: Date) {
        self.init(secondsSinceEpoch: date.timeIntervalSince1970)
    }

    /// Seconds since 1970-01-01 00:00, treating this wall time as UTC.
    public var secondsSinceEpoch: Double {
        let days = ChartDate.days(fromCivil: year, month, day)
        return Double(days) * 86_400 + Double(hour) * 3600 + Double(minute) * 60
    }

    /// The corresponding Foundation `Date` (wall time read as UTC).
    public var date: Date { Date(timeIntervalSince1970: secondsSinceEpoch) }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int { ChartDate.days(fromCivil: year, month, day) }

    /// Day of week, 0 = Monday ... 6 = Sunday.
    public var weekday: Int { ((daysSinceEpoch + 3) % 7 + 7) % 7 }

    /// The same instant with out-of-range fields folded (e.g. month 13 → January next year).
    public var normalized: ChartDate {
        var y = year, m = month - 1
        y += Int(floor(Double(m) / 12)); m = ((m % 12) + 12) % 12
        let base = ChartDate.days(fromCivil: y, m + 1, 1) + (day - 1)
        return ChartDate(secondsSinceEpoch: Double(base) * 86_400 + Double(hour) * 3600 + Double(minute) * 60)
    }

    /// This date plus `n` calendar months; the day is clamped to the month's length.
    public func addingMonths(_ n: Int) -> ChartDate {
        let idx = year * 12 + (month - 1) + n
        let y = Int(floor(Double(idx) / 12)), m = idx - y * 12 + 1
        return ChartDate(year: y, month: m, day: min(day, ChartDate.daysInMonth(y, m)), hour: hour, minute: minute)
    }

    /// This date plus `n` days.
    public func addingDays(_ n: Int) -> ChartDate {
        ChartDate(secondsSinceEpoch: secondsSinceEpoch + Double(n) * 86_400)
    }

    /// ISO 8601 text without zone: "2024-03-12T14:05" (or "2024-03-12" at midnight).
    public var description: String {
        let d = String(format: "%04d-%02d-%02d", year, month, day)
        return hour == 0 && minute == 0 ? d : d + String(format: "T%02d:%02d", hour, minute)
    }

    /// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM[:SS]" (seconds ignored).
    public init?(iso text: String) {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard let datePart = parts.first else { return nil }
        let ymd = datePart.split(separator: "-").compactMap { Int($0) }
        guard ymd.count == 3, (1...12).contains(ymd[1]), ymd[2] >= 1, ymd[2] <= ChartDate.daysInMonth(ymd[0], ymd[1]) else { return nil }
        var h = 0, mi = 0
        if parts.count > 1 {
            let hm = parts[1].split(separator: ":").compactMap { Int($0) }
            guard hm.count >= 2, (0...23).contains(hm[0]), (0...59).contains(hm[1]) else { return nil }
            h = hm[0]; mi = hm[1]
        }
        self.init(year: ymd[0], month: ymd[1], day: ymd[2], hour: h, minute: mi)
    }

    public static func < (a: ChartDate, b: ChartDate) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    package static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    package static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a civil date (``CivilCalendar``).
    package static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int { CivilCalendar.days(fromCivil: y, m, d) }

    /// Civil date for days since 1970-01-01.
    package static func civil(fromDays z: Int) -> (Int, Int, Int) { CivilCalendar.civil(fromDays: z) }

    package static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
