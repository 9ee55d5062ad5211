/// The step of a regular time index.
public enum Frequency: Hashable, Sendable, CustomStringConvertible {
    /// Every `n` minutes on the clock (00:00, 00:30, … for 30), `n` dividing a day.
    case minutes(Int)
    /// Every whole hour.
    case hourly
    /// Every day at 00:00.
    case daily
    /// Monday to Friday at 00:00 (holidays are steps too, so they become missing values).
    case businessDay
    /// Monday to Friday at 00:00 except Polish public holidays (the NBP publication calendar).
    case polishBusinessDay
    /// Every 7 days at 00:00 (on the weekday of the first row).
    case weekly
    /// Every `months` months (1 monthly, 3 quarterly, 12 yearly) on the first or last day.
    case months(Int, MonthAnchor)

    /// Where a monthly, quarterly or yearly time stamp lies in its month.
    public enum MonthAnchor: String, Hashable, Sendable { case start, end }

    public static let monthly = Frequency.months(1, .start)
    public static let quarterly = Frequency.months(3, .start)
    public static let yearly = Frequency.months(12, .start)

    /// The seasonal period usually assumed for this step: a day of minutes, 24 hours, 7 days,
    /// 5 business days, 52 weeks, 12 months, 4 quarters, 1 for years.
    public var seasonalPeriod: Int {
        switch self {
        case .minutes(let n): return max(1, 1440 / n)
        case .hourly: return 24
        case .daily: return 7
        case .businessDay, .polishBusinessDay: return 5
        case .weekly: return 52
        case .months(let k, _): return max(1, 12 / k)
        }
    }

    /// True when `t` lies on this grid.
    public func contains(_ t: LocalDateTime) -> Bool {
        let midnight = t.hour == 0 && t.minute == 0 && t.second == 0
        switch self {
        case .minutes(let n): return t.second == 0 && (t.hour * 60 + t.minute) % n == 0
        case .hourly: return t.minute == 0 && t.second == 0
        case .daily, .weekly: return midnight
        case .businessDay: return midnight && t.isWeekday
        case .polishBusinessDay: return midnight && t.isWeekday && !PolishHolidays.contains(t)
        case .months(_, .start): return midnight && t.day == 1
        case .months(_, .end): return midnight && t.day == LocalDateTime.daysIn(month: t.month, year: t.year)
        }
    }

    /// The grid point after `t` (which must lie on the grid).
    public func next(after t: LocalDateTime) -> LocalDateTime {
        switch self {
        case .minutes(let n): return t.adding(seconds: n * 60)
        case .hourly: return t.adding(hours: 1)
        case .daily: return t.adding(days: 1)
        case .weekly: return t.adding(days: 7)
        case .businessDay, .polishBusinessDay:
            var n = t.adding(days: 1)
            while !contains(n) { n = n.adding(days: 1) }
            return n
        case .months(let k, let anchor):
            let index = t.year * 12 + (t.month - 1) + k
            let year = index >= 0 ? index / 12 : (index - 11) / 12
            let month = index - year * 12 + 1
            let day = anchor == .start ? 1 : LocalDateTime.daysIn(month: month, year: year)
            return LocalDateTime(year: year, month: month, day: day)
        }
    }

    /// The name `--frequency` takes: `30min`, `hourly`, `daily`, `business-day`,
    /// `business-day-pl`, `weekly`, `monthly`, `monthly-end`, `quarterly`, `quarterly-end`,
    /// `yearly`, `yearly-end` (other month steps: `6months`, `6months-end`).
    public var description: String {
        switch self {
        case .minutes(let n): return "\(n)min"
        case .hourly: return "hourly"
        case .daily: return "daily"
        case .businessDay: return "business-day"
        case .polishBusinessDay: return "business-day-pl"
        case .weekly: return "weekly"
        case .months(let k, let anchor):
            let base = [1: "monthly", 3: "quarterly", 12: "yearly"][k] ?? "\(k)months"
            return anchor == .end ? base + "-end" : base
        }
    }

    /// Every name `init(name:)` knows, for messages.
    public static let knownNames = "Nmin (e.g. 15min, 30min), hourly, daily, business-day, business-day-pl, weekly, monthly, monthly-end, quarterly, quarterly-end, yearly, yearly-end, steps"

    /// The frequency `name` describes (see `description`; also `business`, `annual`, `h`, `d`,
    /// `w`, `m`, `q`, `y`); nil when unknown. `steps` (plain steps, no calendar) is not a
    /// frequency: callers handle it.
    public init?(name raw: String) {
        var name = raw.lowercased()
        var anchor = MonthAnchor.start
        for suffix in ["-end", "_end", "-start", "_start"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
            if suffix.hasSuffix("end") { anchor = .end }
        }
        switch name {
        case "hourly", "h", "1h", "60min": self = .hourly
        case "daily", "d": self = .daily
        case "business-day", "business", "businessday", "b": self = .businessDay
        case "business-day-pl", "business-pl", "nbp": self = .polishBusinessDay
        case "weekly", "w": self = .weekly
        case "monthly", "m": self = .months(1, anchor)
        case "quarterly", "q": self = .months(3, anchor)
        case "yearly", "annual", "y", "a": self = .months(12, anchor)
        default:
            if name.hasSuffix("min"), let n = Int(name.dropLast(3)), n >= 1, n < 1440, 1440 % n == 0 {
                self = n == 60 ? .hourly : .minutes(n)
            } else if name.hasSuffix("months"), let k = Int(name.dropLast(6)), k >= 1, k <= 12 {
                self = .months(k, anchor)
            } else {
                return nil
            }
        }
    }
}

/// Why a series could not be cleaned.
public enum CleaningError: Error, CustomStringConvertible, Equatable {
    /// A time stamp is not on the requested grid.
    case offGrid(row: Int, timestamp: LocalDateTime, frequency: Frequency)
    /// Time stamps are not strictly increasing.
    case notIncreasing(row: Int)
    /// No such column.
    case missingColumn(String)
    /// The regular grid between the first and last time stamp would be too long.
    case tooManySteps(from: LocalDateTime, to: LocalDateTime, estimate: Int, limit: Int)
    /// Time stamps follow no known calendar.
    case irregular(String)

    public var description: String {
        switch self {
        case let .offGrid(r, t, f): return "row \(r): time stamp \(t) is not on the \(f) grid"
        case let .notIncreasing(r): return "row \(r): time stamps must be strictly increasing"
        case let .missingColumn(n): return "no column named '\(n)'"
        case let .tooManySteps(a, b, n, limit):
            return "a regular grid from \(a) to \(b) needs \(n > limit ? "more than \(limit)" : "\(n)") rows, above the limit of \(limit) (set RECURRENT_MAX_ROWS to raise it)"
        case let .irregular(s): return "irregular time stamps: \(s)"
        }
    }
}

/// Cleaning steps: regular index, gap filling, segments, resampling.
public enum Cleaning {}
