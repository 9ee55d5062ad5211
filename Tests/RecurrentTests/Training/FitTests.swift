import XCTest
@testable import Recurrent

final class FitTests: XCTestCase {
    func testLSTMLearnsShiftedSine() throws {
        let (x, y) = TrainingFixtures.sine(samples: 32, steps: 6)
        var model = Sequential { LSTM(8); Dense(1) }
        try model.build(inputShape: [6, 1], seed: 1)
        let initial = try model.evaluate(x, y, loss: .meanSquaredError)
        var adam = Adam(learningRate: 0.02)
        let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
                                    options: FitOptions(epochs: 30, batchSize: 8, seed: 3, metrics: [.mae], progress: .none))
        let final = try model.evaluate(x, y, loss: .meanSquaredError)
        XCTAssertEqual(history.epochsRun, 30)
        XCTAssertEqual(history.stopReason, .completed)
        XCTAssertLessThan(final, initial * 0.1, "loss \(initial) → \(final)")
        XCTAssertLessThan(history["loss"].last!, history["loss"].first!)
        XCTAssertNotNil(history.records[0]["mae"])
        XCTAssertNotNil(history.records[0]["grad_norm"])
        XCTAssertNotNil(history.records[0]["seconds"])
        XCTAssertEqual(history.records[0]["lr"]!, 0.02, accuracy: 1e-9)
    }

    func testBuildsAnUnbuiltModelFromX() throws {
        let (x, y) = TrainingFixtures.sine(samples: 4, steps: 3)
        var model = Sequential { GRU(2); Dense(1) }
        var sgd = SGD()
        try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd, options: FitOptions(progress: .none))
        XCTAssertEqual(model.inputShape, [3, 1])
    }

    func testValidationSplitTakesTheLastSamplesBeforeShuffling() throws {
        let (x, y) = TrainingFixtures.sine(samples: 10, steps: 3)
        var base = Sequential { SimpleRNN(3); Dense(1) }
        try base.build(inputShape: [3, 1], seed: 2)
        var a = base, b = base
        var optA = SGD(learningRate: 0.1), optB = SGD(learningRate: 0.1)
        // 10 × (1 − 0.3) = 7 training samples, the last 3 for validation.
        let h = try a.fit(x, y, loss: .meanSquaredError, optimizer: &optA,
                          options: FitOptions(epochs: 2, batchSize: 3, seed: 9, validation: .split(0.3), progress: .none))
        try b.fit(x.slice(0..<7), y.slice(0..<7), loss: .meanSquaredError, optimizer: &optB,
                  options: FitOptions(epochs: 2, batchSize: 3, seed: 9, progress: .none))
        XCTAssertEqual(TrainingFixtures.weights(a), TrainingFixtures.weights(b))
        XCTAssertEqual(h["val_loss"].last!, try a.evaluate(x.slice(7..<10), y.slice(7..<10), loss: .meanSquaredError), accuracy: 1e-9)
        XCTAssertEqual(h.bestEpoch, h["val_loss"].enumerated().min { $0.element < $1.element }!.offset)
    }

    func testValidationDataAndMetrics() throws {
        let (x, y) = TrainingFixtures.sine(samples: 6, steps: 3)
        var model = Sequential { SimpleRNN(2); Dense(1) }
        var sgd = SGD(learningRate: 0.05)
        let h = try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd,
                              options: FitOptions(epochs: 1, batchSize: 4, validation: .data(x.slice(0..<2), y.slice(0..<2)), metrics: [.mae], progress: .none))
        let v = try model.evaluate(x.slice(0..<2), y.slice(0..<2), loss: .meanSquaredError, metrics: [.mae])
        XCTAssertEqual(h.records[0]["val_loss"]!, v["loss"]!, accuracy: 1e-12)
        XCTAssertEqual(h.records[0]["val_mae"]!, v["mae"]!, accuracy: 1e-12)
    }

    func testScheduleSetsTheRatePerEpoch() throws {
        let (x, y) = TrainingFixtures.sine(samples: 4, steps: 2)
        var model = Sequential { Dense(1) }
        var sgd = SGD(learningRate: 0.1)
        let h = try model.fit(x.reshaped([4, 2]), y, loss: .meanSquaredError, optimizer: &sgd,
                              options: FitOptions(epochs: 4, schedule: .stepDecay(factor: 0.5, every: 1), progress: .none))
        XCTAssertEqual(h["lr"].map { Float($0) }, [0.1, 0.05, 0.025, 0.0125])
    }

    func testPlateauScheduleReducesTheRate() throws {
        // lr 0 never improves the loss: the plateau schedule must cut the rate after `patience`.
        let x = Tensor(shape: [2, 1], scalars: [1, 2]), y = Tensor(shape: [2, 1], scalars: [3, 4])
        var model = Sequential { Dense(1) }
        var sgd = SGD(learningRate: 1e-30)
        let h = try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd,
                              options: FitOptions(epochs: 4, schedule: .reduceOnPlateau(ReduceLROnPlateau(monitor: .loss, factor: 0.5, patience: 1, minDelta: 1e-3)), progress: .none))
        XCTAssertEqual(h["lr"].map { Float($0) }, [1e-30, 1e-30, 5e-31, 2.5e-31])
    }

    func testCallbacksSeeEpochsAndCanStop() throws {
        let (x, y) = TrainingFixtures.sine(samples: 4, steps: 2)
        var model = Sequential { SimpleRNN(2); Dense(1) }
        var adam = Adam()
        final class Log: TrainingCallback {
            var epochs: [Int] = [], batches = 0, ended = false
            func onBatchEnd(_ context: BatchContext, stop: inout Bool) throws { batches += 1 }
            func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws {
                epochs.append(context.epoch)
                XCTAssertEqual(context.optimizerState.iterations, 2 * (context.epoch + 1))
                stop = context.epoch == 1
            }
            func onTrainEnd(history: History, model: Sequential) throws { ended = true }
        }
        let log = Log()
        let h = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
                              options: FitOptions(epochs: 5, batchSize: 2, progress: .none), callbacks: [log])
        XCTAssertEqual(log.epochs, [0, 1])
        XCTAssertEqual(log.batches, 4)
        XCTAssertTrue(log.ended)
        XCTAssertEqual(h.stopReason, .callback)
        XCTAssertEqual(h.epochsRun, 2)
    }

    func testInputValidation() throws {
        let (x, y) = TrainingFixtures.sine(samples: 4, steps: 2)
        var model = Sequential { SimpleRNN(2); Dense(1) }
        var sgd = SGD()
        let quiet = FitOptions(progress: .none)
        func expect(_ body: @autoclosure () throws -> Any, _ check: (ModelError) -> Bool, line: UInt = #line) {
            XCTAssertThrowsError(try body(), line: line) { e in
                XCTAssertTrue((e as? ModelError).map(check) ?? false, "\(e)", line: line)
            }
        }
        expect(try model.fit(x, y.slice(0..<3), loss: .meanSquaredError, optimizer: &sgd, options: quiet)) { if case .shapeMismatch(let m) = $0 { return m.contains("4 samples") } else { return false } }
        expect(try model.fit(x, Tensor(shape: [4, 2]), loss: .meanSquaredError, optimizer: &sgd, options: quiet)) { if case .shapeMismatch = $0 { return true } else { return false } }
        var nanX = x
        nanX.scalars[3] = .nan
        expect(try model.fit(nanX, y, loss: .meanSquaredError, optimizer: &sgd, options: quiet)) { if case .nonFinite = $0 { return true } else { return false } }
        var infY = y
        infY.scalars[0] = .infinity
        expect(try model.fit(x, infY, loss: .meanSquaredError, optimizer: &sgd, options: quiet)) { if case .nonFinite = $0 { return true } else { return false } }
        expect(try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd, options: FitOptions(batchSize: 0))) { if case .invalidConfiguration = $0 { return true } else { return false } }
        expect(try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd, options: FitOptions(validation: .split(0.8), progress: .none))) { if case .invalidConfiguration = $0 { return true } else { return false } }
    }

    func testScheduleBaseForResumedRuns() throws {
        let x = Tensor(shape: [2, 1], scalars: [1, 2]), y = Tensor(shape: [2, 1], scalars: [3, 4])
        var model = Sequential { Dense(1) }
        var sgd = SGD(learningRate: 0.0125)  // as restored from a checkpoint after decay
        let h = try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd,
                              options: FitOptions(epochs: 5, schedule: .stepDecay(factor: 0.5, every: 1), scheduleBase: 0.1, progress: .none, initialEpoch: 3))
        XCTAssertEqual(h.records.map(\.epoch), [3, 4])
        XCTAssertEqual(h["lr"].map { Float($0) }, [0.0125, 0.00625])
    }

    func testL2PenaltyIsPartOfTheReportedLoss() throws {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), y = Tensor(shape: [2, 1], scalars: [3, 4])
        var model = Sequential { Dense(1) }
        try model.build(inputShape: [2], seed: 1)
        let mse = try model.evaluate(x, y, loss: .meanSquaredError)
        let penalty = model.l2Penalty(0.5)
        XCTAssertGreaterThan(penalty, 0)
        var frozen = SGD(learningRate: 0)
        let h = try model.fit(x, y, loss: .meanSquaredError, optimizer: &frozen,
                              options: FitOptions(epochs: 1, validation: .data(x, y), l2: 0.5, progress: .none))
        XCTAssertEqual(h.records[0]["loss"]!, mse + penalty, accuracy: 1e-6)
        XCTAssertEqual(h.records[0]["val_loss"]!, mse + penalty, accuracy: 1e-6)
    }
}
