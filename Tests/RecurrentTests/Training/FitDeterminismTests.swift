import XCTest
@testable import Recurrent

final class FitDeterminismTests: XCTestCase {
    private func train(seed: UInt64, epochs: Int = 2, initialEpoch: Int = 0, model start: Sequential? = nil, optimizer: Adam = Adam(learningRate: 0.01)) throws -> (Sequential, Adam) {
        let (x, y) = TrainingFixtures.sine(samples: 12, steps: 4)
        var model = start ?? Sequential { SimpleRNN(4); Dropout(0.3); Dense(1) }
        var opt = optimizer
        try model.fit(x, y, loss: .meanSquaredError, optimizer: &opt,
                      options: FitOptions(epochs: epochs, batchSize: 5, seed: seed, buildSeed: 0, progress: .none, initialEpoch: initialEpoch))
        return (model, opt)
    }

    func testSameSeedGivesBitIdenticalWeights() throws {
        let a = try train(seed: 11).0, b = try train(seed: 11).0
        XCTAssertEqual(TrainingFixtures.weights(a), TrainingFixtures.weights(b))
    }

    func testDifferentSeedDiffers() throws {
        // Same initial weights (buildSeed 0); only shuffling and dropout change.
        let a = try train(seed: 11).0, b = try train(seed: 12).0
        XCTAssertNotEqual(TrainingFixtures.weights(a), TrainingFixtures.weights(b))
    }

    func testResumingFromACheckpointMatchesAnUninterruptedRun() throws {
        let (full, _) = try train(seed: 5, epochs: 3)
        let (half, opt) = try train(seed: 5, epochs: 1)
        // "Save" the model and optimizer state, then resume at epoch 1 in a fresh optimizer.
        var restored = Adam(learningRate: 0.01)
        try restored.importState(opt.exportState())
        let (resumed, _) = try train(seed: 5, epochs: 3, initialEpoch: 1, model: half, optimizer: restored)
        XCTAssertEqual(TrainingFixtures.weights(resumed), TrainingFixtures.weights(full))
    }
}
