import Charts
/// A civil (wall-clock) date and time with no time zone.
///
/// Times in the data sets are local and naive: a DST spring hour that never existed is
/// simply absent and an autumn hour that occurs twice is written once. Arithmetic is done
/// on `secondsOrdinal`, the number of seconds since 1970-01-01 00:00:00 on a proleptic
/// Gregorian calendar in which every day has 86 400 seconds, so no DST or leap-second
/// logic ever shifts a value.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1 … 12
    public var month: Int
    /// 1 … 31
    public var day: Int
    /// 0 … 23
    public var hour: Int
    /// 0 … 59
    public var minute: Int
    /// 0 … 59
    public var second: Int

    /// Creates a date-time from its fields, which are taken as given (see `isValid`).
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
    }

    /// Creates the date-time that lies `secondsOrdinal` seconds after 1970-01-01 00:00:00.
    public init(secondsOrdinal: Int) {
        let days = secondsOrdinal >= 0 ? secondsOrdinal / 86_400 : -((-secondsOrdinal + 86_399) / 86_400)
        let rest = secondsOrdinal - days * 86_400
        let (y, m, d) = LocalDateTime.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: rest / 3600, minute: (rest % 3600) / 60, second: rest % 60)
    }

    /// Days since 1970-01-01 (negative before).
    public var dayOrdinal: Int { LocalDateTime.days(fromCivil: year, month, day) }

    /// Seconds since 1970-01-01 00:00:00, every day counted as 86 400 s.
    public var secondsOrdinal: Int { dayOrdinal * 86_400 + hour * 3600 + minute * 60 + second }

    /// True when the fields name a real calendar date and a time of day in range.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= LocalDateTime.daysIn(month: month, year: year)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        let d = dayOrdinal
        // 1970-01-01 was a Thursday (4).
        return ((d % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// Monday to Friday.
    public var isWeekday: Bool { weekday <= 5 }

    /// The same day at 00:00:00.
    public var startOfDay: LocalDateTime { LocalDateTime(year: year, month: month, day: day) }

    /// This time moved by a number of seconds.
    public func adding(seconds: Int) -> LocalDateTime { LocalDateTime(secondsOrdinal: secondsOrdinal + seconds) }

    /// This time moved by a number of hours.
    public func adding(hours: Int) -> LocalDateTime { adding(seconds: hours * 3600) }

    /// This time moved by a number of days.
    public func adding(days: Int) -> LocalDateTime { adding(seconds: days * 86_400) }

    /// `YYYY-MM-DD HH:MM:SS`, or `YYYY-MM-DD` at midnight.
    public var description: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let date = "\(paddedYear(year))-\(two(month))-\(two(day))"
        if hour == 0 && minute == 0 && second == 0 { return date }
        return "\(date) \(two(hour)):\(two(minute)):\(two(second))"
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.secondsOrdinal < b.secondsOrdinal }

    public static func == (a: LocalDateTime, b: LocalDateTime) -> Bool { a.secondsOrdinal == b.secondsOrdinal }

    public func hash(into hasher: inout Hasher) { hasher.combine(secondsOrdinal) }

    /// Days in a month of a (proleptic Gregorian) year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
    /// Days since 1970-01-01 for a civil date (proleptic Gregorian; ``CivilCalendar``).
    static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int { CivilCalendar.days(fromCivil: y, m, d) }

    /// The civil date `z` days after 1970-01-01.
    static func civil(fromDays z: Int) -> (Int, Int, Int) { CivilCalendar.civil(fromDays: z) }
}

/// A year written with at least four digits.
func paddedYear(_ v: Int) -> String {
    let digits = String(abs(v))
    return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
