import XCTest
import Recurrent
@testable import Forecast

final class ClassicalBaselineTests: XCTestCase {
    private func noise(_ n: Int, seed: UInt64, scale: Double) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in Double(rng.nextNormal()) * scale }
    }

    func testHoltWintersRecoversANoiselessTrendAndSeason() throws {
        let season = [3.0, -1.0, 0.5, -2.5]
        let y = (0..<120).map { 10 + 0.2 * Double($0) + season[$0 % 4] }
        let ets = try XCTUnwrap(HoltWinters.fit(Array(y[0..<90]), period: 4))
        XCTAssertTrue(ets.period == 4 && ets.trend, ets.name)
        let states = ets.filter(y)
        for origin in 95..<110 {
            let path = ets.forecast(from: origin, horizon: 3, states: states)
            for k in 0..<3 { XCTAssertEqual(path[k], y[origin + 1 + k], accuracy: 0.05, "origin \(origin) step \(k + 1)") }
        }
    }

    func testHoltWintersBeatsPersistenceOnANoisySeasonalSeries() throws {
        let e = noise(400, seed: 4, scale: 0.5)
        let y = (0..<400).map { 5 * sin(2 * Double.pi * Double($0) / 12) + e[$0] }
        let ets = try XCTUnwrap(HoltWinters.fit(Array(y[0..<300]), period: 12))
        let states = ets.filter(y)
        var etsSSE = 0.0, naiveSSE = 0.0
        for t in 300..<399 {
            etsSSE += pow(ets.forecast(from: t, horizon: 1, states: states)[0] - y[t + 1], 2)
            naiveSSE += pow(y[t] - y[t + 1], 2)
        }
        XCTAssertLessThan(etsSSE, 0.5 * naiveSSE)
    }

    func testUnitRootTestTellsARandomWalkFromAStationarySeries() {
        let steps = noise(600, seed: 9, scale: 1)
        var walk: [Double] = [], ar: [Double] = []
        var w = 0.0, a = 0.0
        for s in steps { w += s; a = 0.5 * a + s; walk.append(w); ar.append(a) }
        XCTAssertTrue(UnitRootTest.hasUnitRoot(walk))
        XCTAssertFalse(UnitRootTest.hasUnitRoot(ar))
        XCTAssertLessThan(UnitRootTest.statistic(ar)!, -5)
        XCTAssertTrue(UnitRootTest.hasUnitRoot((0..<300).map { Double($0) * 0.1 + steps[$0] * 0.1 }))  // a trend
    }

    func testDifferencedARExtrapolatesATrendLinearARCannot() throws {
        // Training levels 0 … 100, test levels far above: the AR on differences keeps the slope.
        let y = (0..<300).map { 2.0 * Double($0) }
        let windows = (0..<100).map { Array(y[$0..<($0 + 5)]) }
        let targets = (0..<100).map { [y[$0 + 5]] }
        let ar = try DifferencedAutoregression(histories: windows, targets: targets)
        XCTAssertEqual(ar.predict(Array(y[250..<255]))[0], y[255], accuracy: 1e-6)
    }

    func testAutomaticTransformFollowsTheTest() throws {
        let start = LocalDateTime(year: 2020, month: 1, day: 1)
        let steps = noise(400, seed: 2, scale: 1)
        var w = 100.0
        let walk = steps.map { w += 0.3 + $0; return w }  // a random walk with drift
        var s = ExperimentSetup(target: "y", lookback: 5, model: "lstm:2,dense:1")
        s.transform = .auto
        let series = TimeSeries(timestamps: (0..<400).map { start.adding(days: $0) }, name: "y", values: walk)
        XCTAssertEqual(try s.resolvingAutomaticTransform(series).transform, .difference)
        let stationary = TimeSeries(timestamps: series.timestamps, name: "y", values: steps)
        XCTAssertEqual(try s.resolvingAutomaticTransform(stationary).transform, TransformKind.none)
    }
}
