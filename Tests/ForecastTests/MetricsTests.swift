import XCTest
@testable import Forecast

final class MetricsTests: XCTestCase {
    func testHandComputedMetrics() {
        let a: [Double] = [1, 2, 0, 4], p: [Double] = [2, 2, 1, 2]
        let m = ForecastMetrics(actual: a, predicted: p, training: [1, 3, 2, 6], seasonality: 1)
        XCTAssertEqual(m.rmse, (6.0 / 4).squareRoot(), accuracy: 1e-15)      // errors 1,0,1,2
        XCTAssertEqual(m.mae, 1)
        XCTAssertEqual(m.mape, 100 * (1 + 0 + 0.5) / 3, accuracy: 1e-12)     // zero actual skipped
        XCTAssertEqual(m.mapeSkippedZeros, 1)
        XCTAssertEqual(m.smape, 100 * (2.0 / 3 + 0 + 2 + 4.0 / 6) / 4, accuracy: 1e-12)
        XCTAssertEqual(m.r2, 1 - 6 / 8.75, accuracy: 1e-12)                  // mean 1.75, SST 8.75
        XCTAssertEqual(m.mase, 3.0 / 7, accuracy: 1e-12)                     // naive MAE (2+1+4)/3
        XCTAssertEqual(m.count, 4)
        XCTAssertEqual(Metrics.mase(actual: a, predicted: p, training: [1, 2, 3, 5, 6, 7], seasonality: 3), 1 / 4, accuracy: 1e-12)
        let withNaN = ForecastMetrics(actual: [1, .nan, 3], predicted: [1, 5, .nan])
        XCTAssertEqual(withNaN.count, 1)
        XCTAssertTrue(withNaN.mase.isNaN)
        XCTAssertEqual(Metrics.smape(actual: [0], predicted: [0]), 0)
    }
}
