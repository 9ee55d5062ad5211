import Foundation
import XCTest
@testable import Recurrent

final class GradientDecayFitTests: XCTestCase {
    func testExactExponentialIsRecovered() throws {
        let norms = (0...50).map { 3.0 * pow(0.9, Double($0)) }
        let fit = try XCTUnwrap(GradientDecayFit.fit(norms: norms))
        XCTAssertEqual(fit.perStep, 0.9, accuracy: 1e-9)
        XCTAssertEqual(fit.intercept, log(3.0), accuracy: 1e-9)
        XCTAssertEqual(fit.rSquared, 1, accuracy: 1e-9)
        XCTAssertEqual(fit.points, 51)
    }

    func testGrowthGivesFactorAboveOne() throws {
        let fit = try XCTUnwrap(GradientDecayFit.fit(norms: (0..<10).map { Float(pow(1.3, Double($0))) }))
        XCTAssertEqual(fit.perStep, 1.3, accuracy: 1e-5)
    }

    func testLeastSquaresOnNoisyPoints() throws {
        // log norms 0, −1, −1, −3 at k = 0…3: slope = Σ(k−1.5)(y+1.25)/Σ(k−1.5)² = −0.9.
        let fit = try XCTUnwrap(GradientDecayFit.fit(norms: [1.0, exp(-1.0), exp(-1.0), exp(-3.0)] as [Double]))
        XCTAssertEqual(fit.slope, -0.9, accuracy: 1e-12)
        XCTAssertEqual(fit.intercept, 0.1, accuracy: 1e-12)
        XCTAssertLessThan(fit.rSquared, 1)
    }

    func testZerosAndNonFiniteAreLeftOutAndRangeIsHonoured() throws {
        let norms: [Double] = [1, 0.5, 0, .nan, 0.0625, 0.03125]
        let fit = try XCTUnwrap(GradientDecayFit.fit(norms: norms))
        XCTAssertEqual(fit.points, 4)
        XCTAssertEqual(fit.perStep, 0.5, accuracy: 1e-12)
        let part = try XCTUnwrap(GradientDecayFit.fit(norms: norms, distances: 4..<6))
        XCTAssertEqual(part.points, 2)
        XCTAssertNil(GradientDecayFit.fit(norms: [1, 0, 0] as [Double]))
    }
}
