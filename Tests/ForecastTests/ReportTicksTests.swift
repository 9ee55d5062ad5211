import Charts
import Foundation
import XCTest
@testable import Forecast

final class ReportTicksTests: XCTestCase {
    /// True when `step` is 1, 2 or 5 times a power of ten.
    func isNice(_ step: Double) -> Bool {
        let e = floor(log10(step))
        let m = step / pow(10, e)
        return [1.0, 2.0, 5.0, 10.0].contains { abs(m - $0) < 1e-9 }
    }

    func testLinearTicksAreNiceAndCoverTheData() {
        let ranges: [(Double, Double)] = [(0.013, 0.087), (-3.2, 17.9), (1234, 98_765), (0, 1), (-0.5, -0.01), (41.7, 41.9), (0, 1e-3), (3, 1_000_000)]
        for (lo, hi) in ranges {
            for maxTicks in [3, 5, 6, 8, 11] {
                let t = NiceTicks.linear(min: lo, max: hi, maxTicks: maxTicks)
                XCTAssertGreaterThanOrEqual(t.ticks.count, 2, "\(lo)...\(hi)")
                XCTAssertLessThanOrEqual(t.ticks.count, maxTicks, "\(lo)...\(hi) max \(maxTicks)")
                XCTAssertLessThanOrEqual(t.lower, lo, "\(lo)...\(hi)")
                XCTAssertGreaterThanOrEqual(t.upper, hi, "\(lo)...\(hi)")
                XCTAssertEqual(t.ticks.first!.value, t.lower)
                XCTAssertEqual(t.ticks.last!.value, t.upper)
                let step = t.ticks[1].value - t.ticks[0].value
                XCTAssertTrue(isNice(step), "step \(step) for \(lo)...\(hi)")
                for (a, b) in zip(t.ticks, t.ticks.dropFirst()) {
                    XCTAssertEqual(b.value - a.value, step, accuracy: step * 1e-6)
                }
                for tick in t.ticks {
                    // Every tick is an integer multiple of the step (no 0.30000000000000004 drift).
                    let k = tick.value / step
                    XCTAssertEqual(k, k.rounded(), accuracy: 1e-6)
                }
            }
        }
    }

    func testLinearTickLabels() {
        let t = NiceTicks.linear(min: 0, max: 1, maxTicks: 6)
        XCTAssertEqual(t.ticks.map(\.label), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let u = NiceTicks.linear(min: -20, max: 35, maxTicks: 7)
        XCTAssertEqual(u.ticks.map(\.label), ["\u{2212}20", "\u{2212}10", "0", "10", "20", "30", "40"])
        let big = NiceTicks.linear(min: 0, max: 4e7, maxTicks: 5)
        XCTAssertEqual(big.ticks.map(\.label), ["0", "1e7", "2e7", "3e7", "4e7"])
    }

    func testDegenerateRangeIsWidened() {
        let t = NiceTicks.linear(min: 5, max: 5, maxTicks: 6)
        XCTAssertLessThan(t.lower, 5)
        XCTAssertGreaterThan(t.upper, 5)
        let z = NiceTicks.linear(min: 0, max: 0)
        XCTAssertLessThan(z.lower, 0)
        XCTAssertGreaterThan(z.upper, 0)
    }

    func testLogTicksAreDecadesCoveringTheData() {
        let t = NiceTicks.logarithmic(min: 3e-5, max: 2e3, maxTicks: 10)
        XCTAssertLessThanOrEqual(t.lower, 3e-5)
        XCTAssertGreaterThanOrEqual(t.upper, 2e3)
        XCTAssertEqual(t.ticks.map { Int(log10($0.value).rounded()) }, Array(-5...4))
        for tick in t.ticks {
            let k = log10(tick.value)
            XCTAssertEqual(k, k.rounded(), accuracy: 1e-12)
            XCTAssertEqual(tick.label, "10")
        }
        XCTAssertEqual(t.ticks.first?.exponent, "\u{2212}5")
        XCTAssertEqual(t.ticks.last?.exponent, "4")
        // Many decades and little room: every other (or fifth...) decade, still whole decades.
        let wide = NiceTicks.logarithmic(min: 1e-12, max: 1e6, maxTicks: 6)
        XCTAssertLessThanOrEqual(wide.ticks.count, 6)
        XCTAssertLessThanOrEqual(wide.lower, 1e-12)
        XCTAssertGreaterThanOrEqual(wide.upper, 1e6)
        let exps = wide.ticks.map { Int(log10($0.value).rounded()) }
        XCTAssertTrue(Set(zip(exps, exps.dropFirst()).map { $1 - $0 }).count == 1)
        // Few decades get minor ticks 2..9 × 10^k.
        let narrow = NiceTicks.logarithmic(min: 0.5, max: 40)
        XCTAssertEqual(narrow.ticks.map(\.value), [0.1, 1, 10, 100].map { $0 })
        XCTAssertTrue(narrow.minor.contains { abs($0 - 20) < 1e-9 })
    }

    func testChartDateConversions() {
        XCTAssertEqual(ChartDate(secondsSinceEpoch: 0), ChartDate(year: 1970, month: 1, day: 1))
        let d = ChartDate(year: 2024, month: 2, day: 29, hour: 12, minute: 30)
        XCTAssertEqual(ChartDate(secondsSinceEpoch: d.secondsSinceEpoch), d)
        XCTAssertEqual(d.secondsSinceEpoch, 1_709_209_800)
        XCTAssertEqual(ChartDate(d.date), d)
        XCTAssertEqual(ChartDate(secondsSinceEpoch: -86_400), ChartDate(year: 1969, month: 12, day: 31))
        XCTAssertEqual(ChartDate(year: 2024, month: 1, day: 1).weekday, 0) // Monday
        XCTAssertEqual(ChartDate(year: 2024, month: 1, day: 31).addingMonths(1), ChartDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(ChartDate(year: 2023, month: 12, day: 31).addingDays(1), ChartDate(year: 2024, month: 1, day: 1))
        XCTAssertEqual(ChartDate(iso: "2024-03-12T14:05:59"), ChartDate(year: 2024, month: 3, day: 12, hour: 14, minute: 5))
        XCTAssertEqual(ChartDate(iso: "2024-03-12"), ChartDate(year: 2024, month: 3, day: 12))
        XCTAssertNil(ChartDate(iso: "2023-02-29"))
        XCTAssertEqual(ChartDate(year: 2024, month: 3, day: 12, hour: 9, minute: 5).description, "2024-03-12T09:05")
    }

    func span(_ a: ChartDate, _ b: ChartDate, maxTicks: Int) -> AxisTicks {
        DateTicks.ticks(min: a.secondsSinceEpoch, max: b.secondsSinceEpoch, maxTicks: maxTicks)
    }

    func testTwoDaySpanUsesHours() {
        let a = ChartDate(year: 2024, month: 3, day: 11, hour: 0), b = ChartDate(year: 2024, month: 3, day: 13, hour: 0)
        XCTAssertEqual(DateTicks.unit(min: a.secondsSinceEpoch, max: b.secondsSinceEpoch, maxTicks: 9), .hours(6))
        let t = span(a, b, maxTicks: 9)
        XCTAssertEqual(t.ticks.map(\.label), ["Mar 11", "06:00", "12:00", "18:00", "Mar 12", "06:00", "12:00", "18:00", "Mar 13"])
        for tick in t.ticks { XCTAssertEqual(ChartDate(secondsSinceEpoch: tick.value).hour % 6, 0) }
        // A span starting mid-morning starts at the next 6-hour boundary.
        let c = span(ChartDate(year: 2024, month: 3, day: 11, hour: 7, minute: 20), ChartDate(year: 2024, month: 3, day: 13, hour: 7), maxTicks: 9)
        XCTAssertEqual(c.ticks.first?.label, "12:00")
    }

    func testThreeMonthSpanUsesWeeksOrMonths() {
        let a = ChartDate(year: 2024, month: 1, day: 1), b = ChartDate(year: 2024, month: 4, day: 1)
        let weeks = span(a, b, maxTicks: 8)
        XCTAssertEqual(weeks.ticks.map(\.label), ["Jan 1", "Jan 15", "Jan 29", "Feb 12", "Feb 26", "Mar 11", "Mar 25"])
        for tick in weeks.ticks { XCTAssertEqual(ChartDate(secondsSinceEpoch: tick.value).weekday, 0) }
        let months = span(a, b, maxTicks: 4)
        XCTAssertEqual(months.ticks.map(\.label), ["2024-01", "2024-02", "2024-03", "2024-04"])
    }

    func testFourYearSpanUsesYearsOrHalfYears() {
        let a = ChartDate(year: 2020, month: 1, day: 1), b = ChartDate(year: 2023, month: 12, day: 31)
        XCTAssertEqual(span(a, b, maxTicks: 6).ticks.map(\.label), ["2020", "2021", "2022", "2023"])
        XCTAssertEqual(span(a, b, maxTicks: 10).ticks.map(\.label),
                       ["2020-01", "2020-07", "2021-01", "2021-07", "2022-01", "2022-07", "2023-01", "2023-07"])
        let decades = span(ChartDate(year: 1951, month: 6, day: 1), ChartDate(year: 2024, month: 1, day: 1), maxTicks: 8)
        XCTAssertEqual(decades.ticks.map(\.label), ["1960", "1970", "1980", "1990", "2000", "2010", "2020"])
    }

    func testDateTicksStayInsideTheSpan() {
        let starts = [ChartDate(year: 2021, month: 5, day: 17, hour: 13, minute: 7), ChartDate(year: 1999, month: 12, day: 31, hour: 23)]
        let lengths: [Double] = [3600, 6 * 3600, 86_400 * 2, 86_400 * 20, 86_400 * 100, 86_400 * 800, 86_400 * 5000]
        for s in starts {
            for len in lengths {
                let lo = s.secondsSinceEpoch, hi = lo + len
                let t = DateTicks.ticks(min: lo, max: hi, maxTicks: 7)
                XCTAssertGreaterThanOrEqual(t.ticks.count, 1, "\(s) + \(len)")
                XCTAssertLessThanOrEqual(t.ticks.count, 7, "\(s) + \(len)")
                for tick in t.ticks { XCTAssertTrue(tick.value >= lo && tick.value <= hi) }
                XCTAssertEqual(t.ticks.map(\.value), t.ticks.map(\.value).sorted())
            }
        }
    }
}
