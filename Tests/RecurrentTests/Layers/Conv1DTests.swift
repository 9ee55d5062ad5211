import XCTest
@testable import Recurrent

final class Conv1DTests: XCTestCase {
    /// Hand-computed causal convolution: one filter, kernel 2, dilation 1, weights (a, b):
    /// y_t = a·x_{t−1} + b·x_t + bias.
    func testCausalOutputByHand() throws {
        var conv = Conv1D(filters: 1, kernelSize: 2)
        var rng = SeededGenerator(seed: 0)
        try conv.build(inputShape: [4, 1], rng: &rng)
        conv.parameters[0].value = Tensor(shape: [1, 1, 2], scalars: [2, 3])
        conv.parameters[1].value = Tensor(shape: [1], scalars: [0.5])
        let x = Tensor(shape: [1, 4, 1], scalars: [1, 2, 3, 4])
        XCTAssertEqual(conv.infer(x).scalars, [3.5, 8.5, 13.5, 18.5])
    }

    /// Changing a future input never changes an earlier output.
    func testNoLookAhead() throws {
        var conv = Conv1D(filters: 2, kernelSize: 3, dilation: 2)
        var rng = SeededGenerator(seed: 1)
        try conv.build(inputShape: [8, 2], rng: &rng)
        let x = randomTensor([1, 8, 2], seed: 2)
        var changed = x
        changed[0, 5, 1] += 10
        let a = conv.infer(x), b = conv.infer(changed)
        for t in 0..<5 { for f in 0..<2 { XCTAssertEqual(a[0, t, f], b[0, t, f]) } }
        XCTAssertNotEqual(a[0, 5, 0], b[0, 5, 0])
    }
}
