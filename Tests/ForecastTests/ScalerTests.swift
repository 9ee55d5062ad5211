import XCTest
@testable import Forecast

final class ScalerTests: XCTestCase {
    let values: [Double] = [2, 4, 6, 8, 100]

    func testMinMaxFitsTrainingRowsAndRoundTrips() {
        let s = MinMaxScaler(fitting: values, trainingRows: 0..<4, scope: .trainingOnly, range: -1...1)
        XCTAssertEqual(s.dataMin, 2); XCTAssertEqual(s.dataMax, 8)
        XCTAssertEqual(s.transform([2, 5, 8]), [-1, 0, 1])
        for v in values { XCTAssertEqual(s.inverse(s.transform(v)), v, accuracy: 1e-12) }
        let leaky = MinMaxScaler(fitting: values, trainingRows: 0..<4, scope: .everything)
        XCTAssertEqual(leaky.dataMax, 100)
        XCTAssertEqual(MinMaxScaler(fitting: [3, 3]).transform(3), 0)
        XCTAssertTrue(s.transform(.nan).isNaN)
    }

    func testStandardScalerRoundTrip() {
        let s = StandardScaler(fitting: [1, 2, 3, .nan], rows: 0..<4)
        XCTAssertEqual(s.mean, 2)
        XCTAssertEqual(s.standardDeviation, (2.0 / 3).squareRoot(), accuracy: 1e-15)
        for v in values { XCTAssertEqual(s.inverse(s.transform(v)), v, accuracy: 1e-12) }
        XCTAssertEqual(StandardScaler(fitting: [5, 5]).transform(5), 0)
    }
}
