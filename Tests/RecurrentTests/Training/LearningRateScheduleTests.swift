import XCTest
@testable import Recurrent

final class LearningRateScheduleTests: XCTestCase {
    func testStepDecay() {
        let s = LearningRateSchedule.stepDecay(factor: 0.5, every: 2)
        XCTAssertEqual((0..<6).map { s.learningRate(epoch: $0, base: 0.1) }, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
    }

    func testExponential() {
        let s = LearningRateSchedule.exponential(rate: 0.9)
        XCTAssertEqual(s.learningRate(epoch: 0, base: 1), 1)
        XCTAssertEqual(s.learningRate(epoch: 3, base: 1), 0.729, accuracy: 1e-6)
    }

    func testCosineWithWarmup() {
        let s = LearningRateSchedule.cosine(totalEpochs: 10, warmupEpochs: 2, minimum: 0.01)
        XCTAssertEqual(s.learningRate(epoch: 0, base: 0.1), 0.05, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(epoch: 1, base: 0.1), 0.1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(epoch: 2, base: 0.1), 0.1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(epoch: 6, base: 0.1), 0.055, accuracy: 1e-7)  // halfway: mean of base and minimum
        XCTAssertEqual(s.learningRate(epoch: 10, base: 0.1), 0.01, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(epoch: 50, base: 0.1), 0.01, accuracy: 1e-7)
        XCTAssertEqual(LearningRateSchedule.cosine(totalEpochs: 4).learningRate(epoch: 0, base: 1), 1)
    }

    func testReduceOnPlateau() {
        var p = ReduceLROnPlateau(monitor: .valLoss, factor: 0.5, patience: 2, minDelta: 0, cooldown: 1, minimum: 0.02)
        var lr: Float = 0.1
        var seen: [Float] = []
        for v in [1.0, 0.9, 0.9, 0.95, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9] {
            if let r = p.observe(v, current: lr) { lr = r }
            seen.append(lr)
        }
        // Keras: two epochs without improvement → halve; the cooldown epoch resets the count but
        // the epoch that ends the cooldown already counts; never below 0.02.
        XCTAssertEqual(seen, [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02])
    }

    func testValidation() {
        XCTAssertThrowsError(try LearningRateSchedule.stepDecay(factor: 0.5, every: 0).validate())
        XCTAssertThrowsError(try LearningRateSchedule.reduceOnPlateau(ReduceLROnPlateau(factor: 2)).validate())
        XCTAssertNoThrow(try LearningRateSchedule.cosine(totalEpochs: 5, warmupEpochs: 1).validate())
    }
}
