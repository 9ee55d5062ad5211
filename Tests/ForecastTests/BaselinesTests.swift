import XCTest
@testable import Forecast

final class BaselinesTests: XCTestCase {
    let history: [Double] = [1, 2, 3, 4, 5, 6, 7]

    func testSimpleBaselines() {
        XCTAssertEqual(Baselines.persistence(history, horizon: 3), [7, 7, 7])
        XCTAssertEqual(Baselines.seasonalNaive(history, horizon: 5, period: 3), [5, 6, 7, 5, 6])
        XCTAssertTrue(Baselines.seasonalNaive([1, 2], horizon: 1, period: 3)[0].isNaN)
        XCTAssertEqual(Baselines.movingAverage(history, horizon: 2, k: 3), [6, 6])
        XCTAssertEqual(Baselines.inferredPeriod(.hourly), 24)
        XCTAssertEqual(Baselines.inferredPeriod(.daily), 7)
        XCTAssertEqual(Baselines.inferredPeriod(.businessDay), 5)
        XCTAssertEqual(Baselines.predict([[1, 2], [3, 4]]) { Baselines.persistence($0, horizon: 1) }, [[2], [4]])
    }

    func testLinearAutoregressionRecoversExactRelation() throws {
        // y[t+1] = 0.5 + 0.8 y[t] − 0.3 y[t−1]; y[t+2] from the same recursion.
        var y: [Double] = [1, 2]
        for _ in 0..<60 { y.append(0.5 + 0.8 * y[y.count - 1] - 0.3 * y[y.count - 2] + 0.01 * sin(Double(y.count))) }
        var inputs: [[Double]] = [], targets: [[Double]] = []
        for s in 0..<(y.count - 2) { inputs.append([y[s], y[s + 1]]); targets.append([y[s + 2]]) }
        let model = try LinearAutoregression(inputs: inputs, targets: targets, ridge: 0)
        // Hand check on noise-free data.
        var z: [Double] = [1, 2]
        for _ in 0..<20 { z.append(0.5 + 0.8 * z[z.count - 1] - 0.3 * z[z.count - 2]) }
        let exact = try LinearAutoregression(inputs: (0..<20).map { [z[$0], z[$0 + 1]] }, targets: (0..<20).map { [z[$0 + 2]] }, ridge: 0)
        XCTAssertEqual(exact.weights[0][0], 0.5, accuracy: 1e-8)
        XCTAssertEqual(exact.weights[0][1], -0.3, accuracy: 1e-8)
        XCTAssertEqual(exact.weights[0][2], 0.8, accuracy: 1e-8)
        XCTAssertEqual(exact.predict([3, 4])[0], 0.5 - 0.9 + 3.2, accuracy: 1e-8)
        XCTAssertEqual(model.weights.count, 1)
        // Two-step direct model on a linear trend: y = 2t + 1.
        let trendIn: [[Double]] = (0..<10).map { (t: Int) -> [Double] in [Double(2 * t + 1), Double(2 * t + 3)] }
        let trendOut: [[Double]] = (0..<10).map { (t: Int) -> [Double] in [Double(2 * t + 5), Double(2 * t + 7)] }
        let trend = try LinearAutoregression(inputs: trendIn, targets: trendOut, ridge: 1e-10)
        let p = trend.predict([21, 23])
        XCTAssertEqual(p[0], 25, accuracy: 1e-5); XCTAssertEqual(p[1], 27, accuracy: 1e-5)
        XCTAssertThrowsError(try LinearAutoregression(inputs: [], targets: []))
        XCTAssertThrowsError(try LinearAutoregression(inputs: [[1, 1], [2, 2]], targets: [[1], [2]], ridge: 0))
    }
}
