import XCTest
@testable import Recurrent

final class EarlyStoppingTests: XCTestCase {
    /// Dense(1) on a constant input 1 starting at output 0: training pulls the output to 2
    /// (SGD lr 0.1 moves it 0 → 0.8 → 1.28 → …), while validation wants 0.5, so val_loss is
    /// best after the first epoch and worse afterwards.
    private func run(restore: Bool, patience: Int) throws -> (Sequential, History, [[[Float]]]) {
        var model = Sequential { Dense(1) }
        try model.build(inputShape: [1], seed: 0)
        try model.setParameter("layers.0.weight", to: Tensor(shape: [1, 1], scalars: [0]))
        let x = Tensor(shape: [1, 1], scalars: [1])
        var sgd = SGD(learningRate: 0.1)
        final class Weights: TrainingCallback {
            var perEpoch: [[[Float]]] = []
            func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws { perEpoch.append(TrainingFixtures.weights(context.model)) }
        }
        let w = Weights()
        let h = try model.fit(x, Tensor(shape: [1, 1], scalars: [2]), loss: .meanSquaredError, optimizer: &sgd,
                              options: FitOptions(epochs: 10, batchSize: 1, validation: .data(x, Tensor(shape: [1, 1], scalars: [0.5])),
                                                  earlyStopping: EarlyStopping(monitor: .valLoss, patience: patience, restoreBestWeights: restore), progress: .none),
                              callbacks: [w])
        return (model, h, w.perEpoch)
    }

    func testStopsAfterPatienceAndRestoresBestWeights() throws {
        let (model, h, _) = try run(restore: true, patience: 2)
        XCTAssertEqual(h.stopReason, .earlyStopping)
        XCTAssertEqual(h.epochsRun, 3)
        XCTAssertEqual(h.bestEpoch, 0)
        XCTAssertEqual(model.infer(Tensor(shape: [1, 1], scalars: [1])).scalars[0], 0.8, accuracy: 1e-5)
        XCTAssertEqual(try model.evaluate(Tensor(shape: [1, 1], scalars: [1]), Tensor(shape: [1, 1], scalars: [0.5]), loss: .meanSquaredError),
                       h.best!["val_loss"]!, accuracy: 1e-9)
    }

    func testWithoutRestoreKeepsTheLastWeights() throws {
        let (model, h, perEpoch) = try run(restore: false, patience: 1)
        XCTAssertEqual(h.epochsRun, 2)
        XCTAssertEqual(TrainingFixtures.weights(model), perEpoch.last!)
        XCTAssertEqual(model.infer(Tensor(shape: [1, 1], scalars: [1])).scalars[0], 1.28, accuracy: 1e-5)
    }
}
