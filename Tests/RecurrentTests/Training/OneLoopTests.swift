import XCTest
@testable import Recurrent

/// Every `fit` runs the same epoch loop: features one path used to lack work on the others,
/// and each path matches a training loop written out by hand, bit for bit.
final class OneLoopTests: XCTestCase {
    /// Stateful training on padded sequences: each batch continues the previous one's states,
    /// padded steps are masked in the forward pass and in the many-to-many loss.
    func testStatefulTrainingWithLengthsMatchesALoopByHand() throws {
        let x = randomTensor([6, 4, 2], seed: 1), y = randomTensor([6, 4, 1], seed: 2)
        let lengths = [4, 3, 4, 2, 1, 4]
        var model = Sequential { GRU(3, returnSequences: true, stateful: true); Dense(1) }
        try model.build(inputShape: [4, 2], seed: 3)
        var byHand = model
        var fitted = model
        var rms = RMSprop(learningRate: 0.01)
        let history = try fitted.fit(x, y, sequences: SequenceOptions(lengths: lengths, stateful: true), loss: .meanSquaredError,
                                     optimizer: &rms, options: FitOptions(epochs: 2, batchSize: 2, shuffle: true, progress: .none))
        var rms2 = RMSprop(learningRate: 0.01)
        var rng = SeededGenerator(seed: 0)   // no dropout: never drawn
        var epochLosses: [Double] = []
        for _ in 0..<2 {
            byHand.resetStates()
            var sum = 0.0, mass = 0.0
            for b in 0..<3 {
                let rows = (2 * b)..<(2 * b + 2), part = Array(lengths[rows])
                byHand.zeroGradients()
                let p = try byHand.forward(x.slice(rows), lengths: part, rng: &rng)
                let l = try Loss.meanSquaredError(p, y.slice(rows), weights: Sequential.stepMask(lengths: part, steps: 4))
                byHand.backward(l.gradient)
                rms2.step(&byHand)
                sum += l.value * Double(part.reduce(0, +))
                mass += Double(part.reduce(0, +))
            }
            epochLosses.append(sum / mass)
        }
        for (a, b) in zip(fitted.namedParameters, byHand.namedParameters) {
            XCTAssertEqual(a.parameter.value.scalars, b.parameter.value.scalars, a.name)
        }
        XCTAssertEqual(history["loss"], epochLosses)
        XCTAssertNil((fitted.layers[0] as! GRU).core.carriedState, "states are reset after fit")
    }

    /// The encoder–decoder trains through the same loop: without shuffling, its weights equal
    /// a teacher-forced loop by hand with global-norm clipping and the generic `Optimizer.step`.
    func testEncoderDecoderMatchesATeacherForcedLoopByHand() throws {
        let x = randomTensor([6, 5, 2], seed: 4), y = randomTensor([6, 3, 1], seed: 5)
        var model = EncoderDecoder(units: 3, cell: .gru)
        try model.build(inputFeatures: 2, seed: 6)
        var fitted = model, byHand = model
        var adam = Adam(learningRate: 0.02)
        let history = try fitted.fit(x, y, loss: .huber(), optimizer: &adam,
                                     options: FitOptions(epochs: 2, batchSize: 4, shuffle: false, clipping: .globalNorm(0.1), progress: .none))
        var adam2 = Adam(learningRate: 0.02)
        var norms: [Double] = []
        for _ in 0..<2 {
            for rows in [0..<4, 4..<6] {
                byHand.zeroGradients()
                let l = try Loss.huber()(byHand.forwardTeacherForced(x.slice(rows), y.slice(rows)), y.slice(rows))
                byHand.backward(l.gradient)
                norms.append(byHand.clipGradients(.globalNorm(0.1)))
                adam2.step(&byHand)
            }
        }
        XCTAssertEqual(fitted.namedParameters.map(\.parameter.value), byHand.namedParameters.map(\.parameter.value))
        XCTAssertEqual(history["grad_norm"], [(norms[0] + norms[1]) / 2, (norms[2] + norms[3]) / 2])
        XCTAssertTrue(norms.allSatisfy { $0 > 0.1 }, "clipping was active")
    }

    /// Validation of an encoder–decoder is scored free-running (the inference path), as
    /// `evaluate` scores it; the best epoch follows `val_loss`.
    func testEncoderDecoderValidationIsScoredFreeRunning() throws {
        let x = randomTensor([10, 5, 1], seed: 7), y = randomTensor([10, 2, 1], seed: 8)
        var model = EncoderDecoder(units: 3)
        var adam = Adam(learningRate: 0.01)
        let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
                                    options: FitOptions(epochs: 3, batchSize: 4, seed: 1, validation: .split(0.3), progress: .none))
        let valLoss = try model.evaluate(x.slice(7..<10), y.slice(7..<10))
        XCTAssertEqual(history["val_loss"].last!, valLoss, accuracy: 1e-12)
        let best = history["val_loss"].enumerated().min { $0.element < $1.element }!.offset
        XCTAssertEqual(history.bestEpoch, best)
    }

    /// Early stopping, plateau schedules and metrics used to be refused with lengths; with the
    /// one loop they work there too. The best epoch's weights come back.
    func testEarlyStoppingRestoresTheBestWeightsOnPaddedSequences() throws {
        let x = randomTensor([12, 5, 1], seed: 9), y = randomTensor([12, 1], seed: 10)
        let lengths = (0..<12).map { 2 + $0 % 4 }
        var model = Sequential { LSTM(3); Dense(1) }
        final class Keep: TrainingCallback {
            var weights: [[[Float]]] = []
            func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws { weights.append(TrainingFixtures.weights(context.model)) }
        }
        let keep = Keep()
        // Random targets: the validation loss soon stops improving, and training stops.
        var adam = Adam(learningRate: 0.05)
        let history = try model.fit(x, y, sequences: SequenceOptions(lengths: lengths), loss: .meanSquaredError, optimizer: &adam,
                                    options: FitOptions(epochs: 30, batchSize: 4, seed: 2, validation: .split(0.25),
                                                        earlyStopping: EarlyStopping(patience: 1, restoreBestWeights: true),
                                                        progress: .none),
                                    callbacks: [keep])
        XCTAssertEqual(history.stopReason, .earlyStopping)
        let best = try XCTUnwrap(history.bestEpoch)
        XCTAssertLessThan(best, history.epochsRun - 1)
        XCTAssertEqual(TrainingFixtures.weights(model), keep.weights[best])
        XCTAssertEqual(history["val_loss"][best], history["val_loss"].min())
    }

    func testMetricsWithLengthsAreRefused() throws {
        var model = Sequential { LSTM(2, returnSequences: true); Dense(1) }
        var adam = Adam()
        XCTAssertThrowsError(try model.fit(randomTensor([2, 3, 1], seed: 1), randomTensor([2, 3, 1], seed: 2),
                                           sequences: SequenceOptions(lengths: [3, 1]), loss: .meanSquaredError, optimizer: &adam,
                                           options: FitOptions(metrics: [.mae], progress: .none))) {
            XCTAssertTrue("\($0)".contains("metrics are not supported with lengths"), "\($0)")
        }
    }
}
