import Foundation
import XCTest
@testable import Recurrent

/// Spectral radius on matrices whose eigenvalues are known by construction.
final class SpectralRadiusTests: XCTestCase {
    func testDiagonalGivesLargestAbsoluteEntry() {
        let m = Tensor(rows: [[0.5, 0, 0], [0, -0.9, 0], [0, 0, 0.3]])
        XCTAssertEqual(SpectralRadius.of(m), 0.9, accuracy: 1e-6)
    }

    func testScaledRotationIsNotSymmetricAndGivesItsScale() {
        // 0.8·R(θ): eigenvalues 0.8·e^{±iθ}, complex; the norm of every power is exact.
        let c = Float(0.8 * cos(0.7)), s = Float(0.8 * sin(0.7))
        XCTAssertEqual(SpectralRadius.of(Tensor(rows: [[c, -s], [s, c]])), 0.8, accuracy: 1e-6)
        let big = Tensor(rows: [[Float(1.5 * cos(2.0)), Float(-1.5 * sin(2.0))], [Float(1.5 * sin(2.0)), Float(1.5 * cos(2.0))]])
        XCTAssertEqual(SpectralRadius.of(big), 1.5, accuracy: 1e-6)
    }

    func testJordanBlockIgnoresTheLargeOffDiagonal() {
        // ‖A‖ ≈ 5 but ρ = 0.7: the power method's norm bound would be far off.
        let m = Tensor(rows: [[0.7, 5, 0], [0, 0.7, 5], [0, 0, 0.7]])
        XCTAssertEqual(SpectralRadius.of(m), 0.7, accuracy: 1e-3)
    }

    func testNilpotentAndZeroGiveZero() {
        XCTAssertEqual(SpectralRadius.of(Tensor(rows: [[0, 1], [0, 0]])), 0)
        XCTAssertEqual(SpectralRadius.of(Tensor(shape: [3, 3])), 0)
    }

    func testGateBlocksAreMeasuredSeparately() {
        // [2H, H]: block 0 = diag(0.2, 0.4), block 1 = 1.1·R(1).
        let c = Float(1.1 * cos(1.0)), s = Float(1.1 * sin(1.0))
        let w = Tensor(rows: [[0.2, 0], [0, 0.4], [c, -s], [s, c]])
        let radii = SpectralRadius.ofGateBlocks(w)
        XCTAssertEqual(radii.count, 2)
        XCTAssertEqual(radii[0], 0.4, accuracy: 1e-6)
        XCTAssertEqual(radii[1], 1.1, accuracy: 1e-6)
    }

    func testOrthogonalInitialisationHasRadiusOne() throws {
        var layer = SimpleRNN(16)
        var rng = SeededGenerator(seed: 3)
        try layer.build(inputShape: [5, 2], rng: &rng)
        XCTAssertEqual(SpectralRadius.of(layer.parameters[1].value), 1, accuracy: 1e-4)
    }
}
