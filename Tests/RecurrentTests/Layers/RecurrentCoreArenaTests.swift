import XCTest
@testable import Recurrent

/// The layer pass over one arena (`rk_layer_arena`): norm recording inside the C BPTT,
/// empty shapes, and dropping the training caches.
final class RecurrentCoreArenaTests: XCTestCase {
    private func layer(_ cell: String, units: Int) -> any RecurrentLayer {
        switch cell {
        case "lstm": return LSTM(units, returnSequences: true)
        case "gru": return GRU(units, returnSequences: true)
        default: return SimpleRNN(units, returnSequences: true)
        }
    }

    /// Recording runs the batch on one thread; every gradient must be what the threaded,
    /// unrecorded pass gives, to the bit. The batch and width are large enough for the
    /// loop to split the batch across threads when it records nothing.
    func testRecordingNormsChangesNoGradient() throws {
        let batch = 16, steps = 5, features = 3, units = 32
        let x = randomTensor([batch, steps, features], seed: 70)
        let r = randomTensor([batch, steps, units], seed: 71)
        let lengths = (0..<batch).map { 1 + $0 % steps }
        for cell in ["lstm", "gru", "rnn"] {
            for lens in [nil, lengths] {
                var plain = layer(cell, units: units)
                var rng = SeededGenerator(seed: 72)
                try plain.build(inputShape: [steps, features], rng: &rng)
                var recording = plain
                recording.recordsGradientNorms = true
                _ = plain.forwardWithState(x, lengths: lens)
                _ = recording.forwardWithState(x, lengths: lens)
                let a = plain.backward(outputGradient: r, finalStateGradients: nil)
                let b = recording.backward(outputGradient: r, finalStateGradients: nil)
                let what = "\(cell) lengths: \(lens != nil)"
                XCTAssertEqual(a.input, b.input, what)
                XCTAssertEqual(a.initialStates, b.initialStates, what)
                XCTAssertEqual(plain.parameters.map(\.gradient), recording.parameters.map(\.gradient), what)
                XCTAssertTrue(plain.recordedGradientNorms.hidden.isEmpty, what)
                XCTAssertEqual(recording.recordedGradientNorms.hidden.count, steps, what)
                XCTAssertEqual(recording.recordedGradientNorms.cell.count, cell == "lstm" ? steps : 0, what)
                if lens == nil {
                    // At the last step nothing comes from later steps: ‖∂L/∂h_{T−1}‖ is the norm
                    // of the output gradient there, summed in Double in row order.
                    var sum = 0.0
                    for row in 0..<batch { for j in 0..<units { sum += Double(r[row, steps - 1, j]) * Double(r[row, steps - 1, j]) } }
                    XCTAssertEqual(recording.recordedGradientNorms.hidden[steps - 1], Float(sum.squareRoot()), what)
                }
            }
        }
    }

    /// No time steps or no rows: nothing to run, and nothing may crash. With no steps the
    /// final states are the initial ones and their gradients pass straight through.
    func testEmptyBatchesAndSequences() throws {
        for cell in ["lstm", "gru", "rnn"] {
            var l = layer(cell, units: 3)
            var rng = SeededGenerator(seed: 73)
            try l.build(inputShape: [4, 2], rng: &rng)
            let states = l.cell == .lstm ? 2 : 1
            let h0 = (0..<states).map { randomTensor([2, 3], seed: 74 + UInt64($0)) }
            let out = l.forwardWithState(Tensor(shape: [2, 0, 2]), initialState: h0)
            XCTAssertEqual(out.output.shape, [2, 0, 3], cell)
            XCTAssertEqual(out.finalStates, h0, cell)
            let finalGradients = (0..<states).map { randomTensor([2, 3], seed: 80 + UInt64($0)) }
            let back = l.backward(outputGradient: nil, finalStateGradients: finalGradients)
            XCTAssertEqual(back.input.shape, [2, 0, 2], cell)
            XCTAssertEqual(back.initialStates, finalGradients, cell)

            let empty = l.forwardWithState(Tensor(shape: [0, 4, 2]))
            XCTAssertEqual(empty.output.shape, [0, 4, 3], cell)
            let emptyBack = l.backward(outputGradient: Tensor(shape: [0, 4, 3]), finalStateGradients: nil)
            XCTAssertEqual(emptyBack.input.shape, [0, 4, 2], cell)
            XCTAssertEqual(l.call(Tensor(shape: [0, 4, 2])).output.shape, [0, 4, 3], cell)
        }
    }

    /// A trained model can drop what its last training pass kept.
    func testReleasingTrainingCaches() throws {
        var model = Sequential(layers: [LSTM(4, returnSequences: true), Bidirectional(GRU(3)), Dense(1)])
        try model.build(inputShape: [6, 2], seed: 5)
        var rng = SeededGenerator(seed: 6)
        _ = model.forward(randomTensor([3, 6, 2], seed: 7), rng: &rng)
        func held() -> [Bool] {
            [(model.layers[0] as! LSTM).core.holdsCache,
             (model.layers[1] as! Bidirectional).forwardCore.holdsCache,
             (model.layers[1] as! Bidirectional).backwardCore.holdsCache]
        }
        XCTAssertEqual(held(), [true, true, true])
        model.releaseTrainingCaches()
        XCTAssertEqual(held(), [false, false, false])
    }
}
