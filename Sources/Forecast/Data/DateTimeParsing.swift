/// Parses date-time text in the formats found in the data sets.
///
/// Accepted (surrounding spaces and double quotes ignored):
/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, `DD.MM.YYYY`, each optionally followed by a
/// space or `T` and `HH:MM` or `HH:MM:SS`. `24:00[:00]` means midnight at the end of the
/// day and becomes 00:00 of the next day. Anything else (time zone suffixes included)
/// is rejected, because the readers treat all times as naive local wall-clock time.
/// `YYYY-MM` (a month, no time) is read as the month's first day.
public enum DateTimeParser {
    /// The date-time written in `bytes`, or nil when it is not one of the accepted formats
    /// or names an impossible date or time.
    public static func parse<C: Collection>(_ bytes: C) -> LocalDateTime? where C.Element == UInt8 {
        var runs: [(value: Int, length: Int)] = []
        var separators: [UInt8] = []
        var current = 0, length = 0
        var chars = Array(bytes)
        ByteText.trim(&chars)
        if chars.isEmpty { return nil }
        for c in chars {
            if c >= 0x30 && c <= 0x39 {
                if length >= 9 { return nil }
                current = current * 10 + Int(c - 0x30); length += 1
            } else {
                if length == 0 { return nil }
                runs.append((current, length)); separators.append(c)
                current = 0; length = 0
            }
        }
        if length == 0 { return nil }
        runs.append((current, length))

        var y = 0, m = 0, d = 0, next = 0
        if runs[0].length == 8 {
            y = runs[0].value / 10_000; m = runs[0].value / 100 % 100; d = runs[0].value % 100; next = 1
        } else if runs.count >= 3, runs[0].length == 4, separators[0] == separators[1],
                  separators[0] == UInt8(ascii: "-") || separators[0] == UInt8(ascii: "/"),
                  runs[1].length <= 2, runs[2].length <= 2 {
            y = runs[0].value; m = runs[1].value; d = runs[2].value; next = 3
        } else if runs.count == 2, runs[0].length == 4, runs[1].length == 2,
                  separators[0] == UInt8(ascii: "-") || separators[0] == UInt8(ascii: "/") {
            y = runs[0].value; m = runs[1].value; d = 1; next = 2  // a month: its first day
        } else if runs.count >= 3, runs[0].length <= 2, runs[1].length <= 2, runs[2].length == 4,
                  separators[0] == UInt8(ascii: "."), separators[1] == UInt8(ascii: ".") {
            d = runs[0].value; m = runs[1].value; y = runs[2].value; next = 3
        } else {
            return nil
        }
        var h = 0, mi = 0, s = 0
        if next < runs.count {
            let sep = separators[next - 1]
            guard sep == UInt8(ascii: " ") || sep == UInt8(ascii: "T") else { return nil }
            let time = runs[next...]
            guard time.count == 2 || time.count == 3 else { return nil }
            for i in next..<(runs.count - 1) where separators[i] != UInt8(ascii: ":") { return nil }
            guard time.allSatisfy({ $0.length <= 2 }), runs[next + 1].length == 2 else { return nil }
            h = runs[next].value; mi = runs[next + 1].value
            if time.count == 3 { guard runs[next + 2].length == 2 else { return nil }; s = runs[next + 2].value }
        }
        var result = LocalDateTime(year: y, month: m, day: d, hour: h == 24 ? 0 : h, minute: mi, second: s)
        guard result.isValid else { return nil }
        if h == 24 {
            guard mi == 0 && s == 0 else { return nil }
            result = result.adding(days: 1)
        }
        return result
    }

    /// The date-time of an Excel serial day number (1900 date system, days since
    /// 1899-12-30; serials below 61 are taken as the same, ignoring Excel's fictitious
    /// 1900-02-29). The fraction is rounded to the nearest second.
    public static func fromExcelSerial(_ serial: Double) -> LocalDateTime? {
        guard serial.isFinite, serial >= 1, serial < 2_958_466 else { return nil }
        let seconds = (serial * 86_400).rounded()
        let base = LocalDateTime(year: 1899, month: 12, day: 30).secondsOrdinal
        return LocalDateTime(secondsOrdinal: base + Int(seconds))
    }
}
