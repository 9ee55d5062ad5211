import Foundation
import XCTest
@testable import Recurrent

/// Masking and stateful training exposed on `Sequential` and `fit(sequences:)`.
final class SequentialSequencesTests: XCTestCase {
    private func rows(_ x: Tensor, _ b: Int, steps: Int) -> Tensor {
        let f = x.shape[2]
        return Tensor(shape: [1, steps, f], scalars: (0..<steps).flatMap { s in (0..<f).map { x[b, s, $0] } })
    }

    func testPaddedPredictEqualsEachSequenceAlone() throws {
        var model = Sequential { GRU(4, returnSequences: true); LSTM(3); Dense(2) }
        try model.build(inputShape: [6, 2], seed: 3)
        let x = randomTensor([3, 6, 2], seed: 4), lengths = [6, 2, 4]
        let padded = try model.predict(x, lengths: lengths, batchSize: 2)
        for b in 0..<3 {
            let alone = try model.predict(rows(x, b, steps: lengths[b]))
            assertClose(padded.slice(b..<(b + 1)), alone, rel: 1e-5, abs: 1e-6, "sequence \(b)")
        }
        // Without lengths the padding is read as data.
        XCTAssertNotEqual(try model.predict(x).slice(1..<2).scalars, padded.slice(1..<2).scalars)
    }

    func testMaskedManyToManyLossCountsValidStepsOnly() throws {
        var model = Sequential { LSTM(3, returnSequences: true); Dense(1) }
        try model.build(inputShape: [5, 2], seed: 7)
        let x = randomTensor([2, 5, 2], seed: 8), y = randomTensor([2, 5, 1], seed: 9)
        let lengths = [5, 3]
        let masked = try model.evaluate(x, y, lengths: lengths, loss: .meanSquaredError)
        // The same by hand: squared errors of the 8 valid steps, each sequence run alone.
        var sum = 0.0
        for b in 0..<2 {
            let p = try model.predict(rows(x, b, steps: lengths[b]))
            for s in 0..<lengths[b] { let d = Double(p[0, s, 0] - y[b, s, 0]); sum += d * d }
        }
        XCTAssertEqual(masked, sum / 8, accuracy: 1e-6)
        let mask = Sequential.stepMask(lengths: lengths, steps: 5)
        XCTAssertEqual(mask.scalars, [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    }

    func testMaskedTrainingMatchesTrainingOnTheSequencesAlone() throws {
        // One step of SGD on a padded batch gives the gradient of the per-sequence runs: the
        // parameters after fit(sequences:) with batch 2 equal those after summing gradients of
        // each sequence alone with the same loss weighting.
        var model = Sequential { SimpleRNN(3); Dense(1) }
        try model.build(inputShape: [4, 2], seed: 11)
        let x = randomTensor([2, 4, 2], seed: 12), y = randomTensor([2, 1], seed: 13)
        let lengths = [4, 2]
        var padded = model
        var sgd = SGD(learningRate: 0.1)
        try padded.fit(x, y, sequences: SequenceOptions(lengths: lengths), loss: .meanSquaredError, optimizer: &sgd,
                       options: FitOptions(epochs: 1, batchSize: 2, shuffle: false, progress: .none))
        var byHand = model
        byHand.zeroGradients()
        for b in 0..<2 {
            var rng = SeededGenerator(seed: 0)
            let p = byHand.forward(rows(x, b, steps: lengths[b]), rng: &rng)
            var g = try Loss.meanSquaredError(p, y.slice(b..<(b + 1))).gradient
            for i in g.scalars.indices { g.scalars[i] /= 2 }
            byHand.backward(g)
        }
        var sgd2 = SGD(learningRate: 0.1)
        sgd2.step(&byHand)
        for (a, b) in zip(padded.namedParameters, byHand.namedParameters) {
            assertClose(a.parameter.value, b.parameter.value, rel: 1e-5, abs: 1e-6, a.name)
        }
    }

    func testLengthsThatDoNotMatchTheBatchAreRejected() throws {
        var model = Sequential { LSTM(2); Dense(1) }
        try model.build(inputShape: [3, 1], seed: 1)
        let x = randomTensor([2, 3, 1], seed: 2), y = randomTensor([2, 1], seed: 3)
        XCTAssertThrowsError(try model.predict(x, lengths: [3])) { XCTAssertTrue("\($0)".contains("lengths has 1 entries but the batch has 2"), "\($0)") }
        XCTAssertThrowsError(try model.predict(x, lengths: [3, 4])) { XCTAssertTrue("\($0)".contains("lengths[1] = 4 is outside 0…3"), "\($0)") }
        var adam = Adam()
        XCTAssertThrowsError(try model.fit(x, y, sequences: SequenceOptions(lengths: [-1, 2]), loss: .meanSquaredError, optimizer: &adam,
                                           options: FitOptions(progress: .none))) { XCTAssertTrue("\($0)".contains("lengths[0] = -1"), "\($0)") }
        var bi = Sequential { Bidirectional(LSTM(2)); Dense(1) }
        try bi.build(inputShape: [3, 1], seed: 1)
        XCTAssertThrowsError(try bi.predict(x, lengths: [3, 2])) { XCTAssertTrue("\($0)".contains("Bidirectional"), "\($0)") }
    }

    func testStatefulFitCarriesStatesWithinAnEpochAndResetsBetweenEpochs() throws {
        // 2 streams × 3 windows of 4 steps; batch 2. By hand: reset, then per batch zero,
        // forward (the layer starts from the carried state), backward, step.
        let series = randomTensor([24, 1], seed: 20)
        var targets = Tensor(shape: [24, 1])
        for t in 1..<24 { targets.scalars[t] = series.scalars[t - 1] }
        let (x, y) = try StatefulBatches.make(series: series, targets: targets, streams: 2, steps: 4)
        XCTAssertEqual(x.shape, [6, 4, 1])
        XCTAssertEqual(x[2, 0, 0], series.scalars[4], "batch 1 row 0 continues stream 0")
        XCTAssertEqual(x[1, 0, 0], series.scalars[12], "row 1 is stream 1, which starts at 12")

        var model = Sequential { LSTM(3, returnSequences: true, stateful: true); Dense(1) }
        try model.build(inputShape: [4, 1], seed: 5)
        var fitted = model
        var adam = Adam(learningRate: 0.01)
        try fitted.fit(x, y, sequences: SequenceOptions(stateful: true), loss: .meanSquaredError, optimizer: &adam,
                       options: FitOptions(epochs: 2, batchSize: 2, shuffle: true, progress: .none))
        var byHand = model
        var adam2 = Adam(learningRate: 0.01)
        var rng = SeededGenerator(seed: 0)
        for _ in 0..<2 {
            byHand.resetStates()
            for b in 0..<3 {
                byHand.zeroGradients()
                let p = byHand.forward(x.slice((2 * b)..<(2 * b + 2)), rng: &rng)
                byHand.backward(try Loss.meanSquaredError(p, y.slice((2 * b)..<(2 * b + 2))).gradient)
                adam2.step(&byHand)
            }
        }
        for (a, b) in zip(fitted.namedParameters, byHand.namedParameters) {
            XCTAssertEqual(a.parameter.value.scalars, b.parameter.value.scalars, a.name)
        }
        XCTAssertNil((fitted.layers[0] as! LSTM).core.carriedState, "states are reset after fit")
        // Without carrying, the weights differ.
        var notCarried = model
        var adam3 = Adam(learningRate: 0.01)
        for _ in 0..<2 {
            for b in 0..<3 {
                notCarried.resetStates()
                notCarried.zeroGradients()
                let p = notCarried.forward(x.slice((2 * b)..<(2 * b + 2)), rng: &rng)
                notCarried.backward(try Loss.meanSquaredError(p, y.slice((2 * b)..<(2 * b + 2))).gradient)
                adam3.step(&notCarried)
            }
        }
        XCTAssertNotEqual(fitted.namedParameters[0].parameter.value.scalars, notCarried.namedParameters[0].parameter.value.scalars)
    }

    func testStatefulFitRejectsBadSetups() throws {
        let x = randomTensor([5, 3, 1], seed: 1), y = randomTensor([5, 1], seed: 2)
        var plain = Sequential { LSTM(2); Dense(1) }
        var adam = Adam()
        XCTAssertThrowsError(try plain.fit(x, y, sequences: SequenceOptions(stateful: true), loss: .meanSquaredError, optimizer: &adam,
                                           options: FitOptions(batchSize: 5, progress: .none))) { XCTAssertTrue("\($0)".contains("stateful: true"), "\($0)") }
        var stateful = Sequential { LSTM(2, stateful: true); Dense(1) }
        XCTAssertThrowsError(try stateful.fit(x, y, sequences: SequenceOptions(stateful: true), loss: .meanSquaredError, optimizer: &adam,
                                              options: FitOptions(batchSize: 2, progress: .none))) { XCTAssertTrue("\($0)".contains("multiple of the batch size"), "\($0)") }
    }
}
