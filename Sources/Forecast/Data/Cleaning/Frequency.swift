/// The step of a regular time index.
public enum Frequency: Equatable, Sendable, CustomStringConvertible {
    /// Every whole hour.
    case hourly
    /// Every day at 00:00.
    case daily
    /// Monday to Friday at 00:00 (holidays are steps too, so they become missing values).
    case businessDay

    /// The seasonal period usually assumed for this step: 24, 7 or 5.
    public var seasonalPeriod: Int {
        switch self { case .hourly: return 24; case .daily: return 7; case .businessDay: return 5 }
    }

    /// True when `t` lies on this grid.
    public func contains(_ t: LocalDateTime) -> Bool {
        switch self {
        case .hourly: return t.minute == 0 && t.second == 0
        case .daily: return t.hour == 0 && t.minute == 0 && t.second == 0
        case .businessDay: return t.hour == 0 && t.minute == 0 && t.second == 0 && t.isWeekday
        }
    }

    /// The grid point after `t` (which must lie on the grid).
    public func next(after t: LocalDateTime) -> LocalDateTime {
        switch self {
        case .hourly: return t.adding(hours: 1)
        case .daily: return t.adding(days: 1)
        case .businessDay:
            var n = t.adding(days: 1)
            while !n.isWeekday { n = n.adding(days: 1) }
            return n
        }
    }

    public var description: String {
        switch self { case .hourly: return "hourly"; case .daily: return "daily"; case .businessDay: return "business-day" }
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

    public var description: String {
        switch self {
        case let .offGrid(r, t, f): return "row \(r): time stamp \(t) is not on the \(f) grid"
        case let .notIncreasing(r): return "row \(r): time stamps must be strictly increasing"
        case let .missingColumn(n): return "no column named '\(n)'"
        case let .tooManySteps(a, b, n, limit):
            return "a regular grid from \(a) to \(b) needs \(n > limit ? "more than \(limit)" : "\(n)") rows, above the limit of \(limit) (set RECURRENT_MAX_ROWS to raise it)"
        }
    }
}

/// Cleaning steps: regular index, gap filling, segments, resampling.
public enum Cleaning {}
