import XCTest
@testable import Recurrent

final class NonFiniteTests: XCTestCase {
    func testHugeLearningRateStopsWithANamedParameterAndRestoresWeights() throws {
        let (x, y) = TrainingFixtures.sine(samples: 16, steps: 3)
        var model = Sequential { SimpleRNN(4); Dense(1) }
        try model.build(inputShape: [3, 1], seed: 4)
        let initial = TrainingFixtures.weights(model)
        var sgd = SGD(learningRate: 1e12)
        do {
            try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd, options: FitOptions(epochs: 3, batchSize: 2, progress: .none))
            XCTFail("training should diverge")
        } catch let e as TrainingDiverged {
            let named = try Regex(#"^non-finite (gradient|weight) in layers\.[01]\.\w+ \((SimpleRNN|Dense)\)"#)
            XCTAssertTrue(e.message.firstMatch(of: named) != nil, e.message)
            XCTAssertTrue(e.message.contains("at epoch 1, batch "), e.message)
            // The library words the remedy itself and names no command-line flag; the remedy is data.
            XCTAssertEqual(e.remedy, .clipGradientNorm(1))
            XCTAssertTrue(e.message.contains("; try gradient clipping by global norm 1.0;"), e.message)
            XCTAssertFalse(e.message.contains("--"), e.message)
            XCTAssertNil(e.restoredEpoch)
            XCTAssertEqual(e.message(remedy: "use X"), e.problem + "; use X; the weights from the start of fit were restored")
            if case .nonFinite(let m) = e.history.stopReason { XCTAssertEqual(m, e.message) } else { XCTFail("stop reason") }
            XCTAssertEqual(e.history.epochsRun, 0)
            // Back at the last good weights: the start of the failed (first) epoch.
            XCTAssertEqual(TrainingFixtures.weights(model), initial)
            XCTAssertEqual(sgd.iterations, 0)
        }
    }

    func testDivergenceInALaterEpochRestoresTheEndOfTheLastGoodEpoch() throws {
        let (x, y) = TrainingFixtures.sine(samples: 8, steps: 3)
        var model = Sequential { LSTM(3); Dense(1) }
        final class Keep: TrainingCallback {
            var weights: [[Float]] = []
            var optimizerState: OptimizerState?
            func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws {
                weights = TrainingFixtures.weights(context.model)
                optimizerState = context.optimizerState
            }
        }
        let keep = Keep()
        var sgd = SGD(learningRate: 0.01)
        // Epoch 0 trains at 0.01, epoch 1 at 1e12.
        XCTAssertThrowsError(try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd,
                                           options: FitOptions(epochs: 3, batchSize: 2, schedule: .exponential(rate: 1e14), progress: .none),
                                           callbacks: [keep])) { error in
            guard let e = error as? TrainingDiverged else { return XCTFail("\(error)") }
            XCTAssertTrue(e.message.contains("at epoch 2, batch"), e.message)
            XCTAssertTrue(e.message.contains("restored to the end of epoch 1"), e.message)
            XCTAssertEqual(e.restoredEpoch, 1)
            XCTAssertEqual(e.remedy, .clipGradientNorm(1))
            XCTAssertEqual(e.history.epochsRun, 1)
        }
        XCTAssertEqual(TrainingFixtures.weights(model), keep.weights)
        XCTAssertEqual(sgd.exportState(), keep.optimizerState)
        XCTAssertTrue(model.namedParameters.allSatisfy { $0.parameter.value.isFinite })
    }
}
