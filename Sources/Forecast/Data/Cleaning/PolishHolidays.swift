/// Public holidays of Poland (days free from work, Act of 18 January 1951 as amended): the
/// days NBP publishes no exchange rates on besides weekends.
///
/// Fixed: 1 January, 6 January (Epiphany, since 2011), 1 and 3 May, 15 August, 1 and
/// 11 November, 24 December (since 2025), 25 and 26 December. Movable, from Western Easter:
/// Easter Sunday and Monday, Pentecost Sunday (+49 days), Corpus Christi (+60 days).
public enum PolishHolidays {
    /// True when the date of `t` is a Polish public holiday.
    public static func contains(_ t: LocalDateTime) -> Bool {
        let y = t.year
        switch (t.month, t.day) {
        case (1, 1), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26): return true
        case (1, 6): return y >= 2011
        case (12, 24): return y >= 2025
        default: break
        }
        let offset = t.dayOrdinal - easterSunday(year: y).dayOrdinal
        return offset == 0 || offset == 1 || offset == 49 || offset == 60
    }

    /// The holidays of one year, in date order.
    public static func dates(in year: Int) -> [LocalDateTime] {
        var t = LocalDateTime(year: year, month: 1, day: 1)
        var out: [LocalDateTime] = []
        while t.year == year {
            if contains(t) { out.append(t) }
            t = t.adding(days: 1)
        }
        return out
    }

    /// Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus.
    public static func easterSunday(year: Int) -> LocalDateTime {
        let a = year % 19                       // place in the 19-year Metonic cycle
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30  // epact-like age of the paschal moon
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7  // days to the following Sunday
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDateTime(year: year, month: month, day: day)
    }
}
