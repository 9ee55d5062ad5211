extension Frequency {
    /// The calendar that `times` follow, read from their steps: sub-daily steps of N minutes or
    /// an hour; whole days (daily, business days — Polish when no row falls on a Polish holiday
    /// among several weekday holidays spanned — or weekly); first or last days of months
    /// (monthly, quarterly, yearly). Nil for fewer than two time stamps.
    /// - Throws: `CleaningError.irregular` naming the first row that breaks the step.
    public static func infer(_ times: [LocalDateTime]) throws -> Frequency? {
        guard times.count >= 2 else { return nil }
        let midnight = times.allSatisfy { $0.hour == 0 && $0.minute == 0 && $0.second == 0 }
        if midnight, let months = try monthSteps(times) { return months }
        let unit = midnight ? 86_400 : 60
        var steps: [Int] = []
        for i in 1..<times.count {
            let d = times[i].secondsOrdinal - times[i - 1].secondsOrdinal
            guard d > 0 else { throw CleaningError.notIncreasing(row: i) }
            guard d % unit == 0 else {
                throw CleaningError.irregular("row \(i + 1) (\(times[i])) is \(d) s after the previous row, not a whole number of \(midnight ? "days" : "minutes")")
            }
            steps.append(d / unit)
        }
        let step = steps.min()!
        if let bad = steps.firstIndex(where: { $0 % step != 0 }) {
            throw CleaningError.irregular("row \(bad + 2) (\(times[bad + 1])) is \(steps[bad]) \(midnight ? "day(s)" : "minute(s)") after the previous row, not a multiple of the \(step)-\(midnight ? "day" : "minute") step")
        }
        if midnight {
            if step == 7 { return .weekly }
            guard step == 1 else {
                throw CleaningError.irregular("rows are \(step) days apart; known day steps are 1 (daily, business days) and 7 (weekly)")
            }
            guard times.allSatisfy({ $0.isWeekday }), times.count > 20 else { return .daily }
            return followsPolishHolidays(times) ? .polishBusinessDay : .businessDay
        }
        guard step < 1440, 1440 % step == 0 else {
            throw CleaningError.irregular("rows are \(step) minutes apart, which does not divide a day")
        }
        let f: Frequency = step == 60 ? .hourly : .minutes(step)
        if let off = times.firstIndex(where: { !f.contains($0) }) {
            throw CleaningError.offGrid(row: off, timestamp: times[off], frequency: f)
        }
        return f
    }

    /// Monthly, quarterly or yearly when every time stamp is the first (or every one the last)
    /// day of its month and rows are whole months apart; nil when they are not month-anchored.
    private static func monthSteps(_ times: [LocalDateTime]) throws -> Frequency? {
        let anchor: MonthAnchor
        if times.allSatisfy({ $0.day == 1 }) { anchor = .start }
        else if times.allSatisfy({ $0.day == LocalDateTime.daysIn(month: $0.month, year: $0.year) }) { anchor = .end }
        else { return nil }
        let index = times.map { $0.year * 12 + $0.month - 1 }
        let steps = (1..<index.count).map { index[$0] - index[$0 - 1] }
        let step = steps.min()!
        // Daily data that happens to hold only month ends (two rows) is still a month step.
        guard step >= 1 else { return nil }
        guard 12 % step == 0 else {
            throw CleaningError.irregular("rows are \(step) months apart; month steps must divide a year (1, 2, 3, 4, 6, 12)")
        }
        if let bad = steps.firstIndex(where: { $0 % step != 0 }) {
            throw CleaningError.irregular("row \(bad + 2) (\(times[bad + 1])) is \(steps[bad]) month(s) after the previous row, not a multiple of \(step)")
        }
        return .months(step, anchor)
    }

    /// No row on a Polish weekday holiday although the rows span at least three of them.
    private static func followsPolishHolidays(_ times: [LocalDateTime]) -> Bool {
        if times.contains(where: PolishHolidays.contains) { return false }
        var spanned = 0
        var t = times.first!
        while t <= times.last!, spanned < 3 {
            if t.isWeekday && PolishHolidays.contains(t) { spanned += 1 }
            t = t.adding(days: 1)
        }
        return spanned >= 3
    }
}
