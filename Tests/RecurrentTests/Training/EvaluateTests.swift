import XCTest
@testable import Recurrent

final class EvaluateTests: XCTestCase {
    func testEvaluateIsIndependentOfBatchSize() throws {
        let (x, y) = TrainingFixtures.sine(samples: 7, steps: 3)
        var model = Sequential { GRU(3); Dense(1) }
        try model.build(inputShape: [3, 1], seed: 8)
        let whole = try Loss.meanSquaredError.value(model.infer(x), y)
        for b in [1, 3, 7, 100] {
            XCTAssertEqual(try model.evaluate(x, y, loss: .meanSquaredError, batchSize: b), whole, accuracy: 1e-9)
        }
    }

    func testAccuracy() throws {
        var model = Sequential { Dense(3, activation: .softmax) }
        try model.build(inputShape: [2], seed: 1)
        let x = TrainingFixtures.uniform([5, 2], -1, 1, seed: 2)
        let p = model.infer(x)
        let labels = (0..<5).map { r in (0..<3).max { p[r, $0] < p[r, $1] }! }
        let right = TrainingFixtures.oneHot(labels, classes: 3)
        let wrong = TrainingFixtures.oneHot(labels.map { ($0 + 1) % 3 }, classes: 3)
        XCTAssertEqual(try model.evaluate(x, right, loss: .categoricalCrossEntropy(), metrics: [.accuracy])["accuracy"], 1)
        XCTAssertEqual(try model.evaluate(x, wrong, loss: .categoricalCrossEntropy(), metrics: [.accuracy])["accuracy"], 0)
    }

    func testRejectsMismatchedTargets() throws {
        var model = Sequential { Dense(1) }
        try model.build(inputShape: [2], seed: 1)
        XCTAssertThrowsError(try model.evaluate(Tensor(shape: [3, 2]), Tensor(shape: [2, 1]), loss: .meanSquaredError))
    }
}
