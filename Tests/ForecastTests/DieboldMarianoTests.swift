import XCTest
@testable import Forecast

final class DieboldMarianoTests: XCTestCase {
    func testStudentTAgainstKnownValues() {
        XCTAssertEqual(StudentT.twoSidedPValue(2.0, degreesOfFreedom: 10), 0.07338803477074037, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedPValue(0.5, degreesOfFreedom: 30), 0.6207230048851272, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedPValue(-4, degreesOfFreedom: 5), 0.01032341548083145, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedPValue(1, degreesOfFreedom: 1), 0.5, accuracy: 1e-12)          // Cauchy
        XCTAssertEqual(StudentT.twoSidedPValue(1.5, degreesOfFreedom: 2), 1 - 1.5 / (2 + 2.25).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(StudentT.cdf(0, degreesOfFreedom: 7), 0.5, accuracy: 1e-12)
        XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: 0.3, a: 2.5, b: 3.5), 0.29675298929566646, accuracy: 1e-12)
        XCTAssertEqual(StudentT.regularizedIncompleteBeta(x: 0.9, a: 0.5, b: 0.5), 0.7951672353008665, accuracy: 1e-12)
    }

    func testHandComputedCase() throws {
        // Squared losses 1,4,9,16 vs 1,1,1,1: d = 0,3,8,15, mean 6.5, γ0 = 32.25, γ1 = 7.5625.
        let e1: [Double] = [1, 2, 3, 4], e2: [Double] = [1, 1, 1, 1]
        let one = try DieboldMariano(errors1: e1, errors2: e2, horizon: 1)
        XCTAssertEqual(one.uncorrected, 6.5 / (32.25 / 4).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(one.statistic, 1.9824814143238605, accuracy: 1e-12)   // × √(3/4)
        XCTAssertEqual(one.pValue, 0.14171516342257268, accuracy: 1e-9)      // t, 3 df
        let two = try DieboldMariano(errors1: e1, errors2: e2, horizon: 2)
        XCTAssertEqual(two.uncorrected, 1.8887250519595846, accuracy: 1e-12)
        XCTAssertEqual(two.statistic, 1.1566031604281568, accuracy: 1e-12)
        XCTAssertEqual(two.pValue, 0.3311717374386678, accuracy: 1e-9)
        let bartlett = try DieboldMariano(errors1: e1, errors2: e2, horizon: 2, kernel: .bartlett)
        XCTAssertEqual(bartlett.uncorrected, 6.5 / ((32.25 + 7.5625) / 4).squareRoot(), accuracy: 1e-12)
        let absolute = try DieboldMariano(errors1: [1, -2, 3, 4], errors2: e2, loss: .absolute)
        XCTAssertEqual(absolute.uncorrected, 1.5 / ((2.25 + 0.25 + 0.25 + 2.25) / 4 / 4).squareRoot(), accuracy: 1e-12)
        XCTAssertThrowsError(try DieboldMariano(errors1: [1, 1, 1], errors2: [1, 1, 1]))
        XCTAssertThrowsError(try DieboldMariano(errors1: [1], errors2: [1, 2]))
    }
}
