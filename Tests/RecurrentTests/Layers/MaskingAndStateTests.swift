import XCTest
@testable import Recurrent

/// Padded batches with lengths equal running each sequence alone; stateful layers equal one
/// long run.
final class MaskingAndStateTests: XCTestCase {
    private func makeLayer(_ cell: String, sequences: Bool, stateful: Bool = false) throws -> any RecurrentLayer {
        var layer: any RecurrentLayer
        switch cell {
        case "lstm": layer = LSTM(3, returnSequences: sequences, stateful: stateful)
        case "gru": layer = GRU(3, returnSequences: sequences, stateful: stateful)
        default: layer = SimpleRNN(3, returnSequences: sequences, stateful: stateful)
        }
        var rng = SeededGenerator(seed: 12)
        try layer.build(inputShape: [5, 2], rng: &rng)
        return layer
    }

    private func row(_ t: Tensor, _ b: Int, steps: Int) -> Tensor {
        let f = t.shape[2]
        var out = Tensor(shape: [1, steps, f])
        for s in 0..<steps { for k in 0..<f { out[0, s, k] = t[b, s, k] } }
        return out
    }

    func testPaddedBatchEqualsEachSequenceAlone() throws {
        let lengths = [5, 2, 0, 4]
        let x = randomTensor([4, 5, 2], seed: 40)
        for cell in ["lstm", "gru", "rnn"] {
            for sequences in [true, false] {
                var batched = try makeLayer(cell, sequences: sequences)
                let result = batched.forwardWithState(x, lengths: lengths)
                let dy = randomTensor(result.output.shape, seed: 41)
                let dState = randomTensor([4, 3], seed: 42)
                let grads = batched.backward(outputGradient: dy, finalStateGradients: [dState] + (cell == "lstm" ? [Tensor(shape: [4, 3])] : []))
                var summed = batched.parameters.map { Tensor(shape: $0.value.shape) }
                for b in 0..<4 {
                    let len = lengths[b]
                    var alone = try makeLayer(cell, sequences: sequences)
                    alone.parameters = batched.parameters.map { Parameter(name: $0.name, value: $0.value, isPenalized: $0.isPenalized) }
                    let label = "\(cell) seq=\(sequences) b=\(b)"
                    if len == 0 {
                        XCTAssertEqual(result.finalStates[0].slice(b..<(b + 1)).scalars, [Float](repeating: 0, count: 3), label)
                        continue
                    }
                    let r = alone.forwardWithState(row(x, b, steps: len))
                    assertClose(result.finalStates[0].slice(b..<(b + 1)), r.finalStates[0], rel: 1e-5, abs: 1e-6, "\(label) final state")
                    var dyAlone: Tensor
                    if sequences {
                        for s in 0..<5 { for j in 0..<3 {
                            XCTAssertEqual(result.output[b, s, j], s < len ? r.output[0, s, j] : 0, accuracy: 1e-6, "\(label) output step \(s)")
                        } }
                        dyAlone = row(dy, b, steps: len)
                    } else {
                        assertClose(result.output.slice(b..<(b + 1)), r.output, rel: 1e-5, abs: 1e-6, "\(label) output")
                        dyAlone = dy.slice(b..<(b + 1))
                    }
                    let stateGrad = [dState.slice(b..<(b + 1))] + (cell == "lstm" ? [Tensor(shape: [1, 3])] : [])
                    let g: (input: Tensor, initialStates: [Tensor])
                    if sequences {
                        g = alone.backward(outputGradient: dyAlone, finalStateGradients: stateGrad)
                    } else {
                        var combined = stateGrad
                        for k in combined[0].scalars.indices { combined[0].scalars[k] += dyAlone.scalars[k] }
                        g = alone.backward(outputGradient: nil, finalStateGradients: combined)
                    }
                    for s in 0..<5 { for k in 0..<2 {
                        XCTAssertEqual(grads.input[b, s, k], s < len ? g.input[0, s, k] : 0, accuracy: 1e-5, "\(label) dx step \(s)")
                    } }
                    assertClose(grads.initialStates[0].slice(b..<(b + 1)), g.initialStates[0], rel: 1e-4, abs: 1e-6, "\(label) dh0")
                    for p in summed.indices {
                        for e in summed[p].scalars.indices { summed[p].scalars[e] += alone.parameters[p].gradient.scalars[e] }
                    }
                }
                for p in summed.indices {
                    assertClose(batched.parameters[p].gradient, summed[p], rel: 1e-4, abs: 1e-5, "\(cell) seq=\(sequences) \(batched.parameters[p].name)")
                }
            }
        }
    }

    func testStatefulCarriesStateAcrossBatchesAndResets() throws {
        let x = randomTensor([2, 6, 2], seed: 50)
        for cell in ["lstm", "gru", "rnn"] {
            let whole = try makeLayer(cell, sequences: false)
            var stateful = try makeLayer(cell, sequences: false, stateful: true)
            stateful.parameters = whole.parameters
            let first = Tensor(shape: [2, 3, 2], scalars: (0..<2).flatMap { b in (0..<3).flatMap { s in [x[b, s, 0], x[b, s, 1]] } })
            let second = Tensor(shape: [2, 3, 2], scalars: (0..<2).flatMap { b in (3..<6).flatMap { s in [x[b, s, 0], x[b, s, 1]] } })
            _ = stateful.inferCarryingState(first)
            let piecewise = stateful.inferCarryingState(second)
            assertClose(piecewise, whole.infer(x), rel: 1e-5, abs: 1e-6, "\(cell) stateful = one long run")
            stateful.resetStates()
            assertClose(stateful.inferCarryingState(second), whole.infer(second), rel: 1e-6, abs: 1e-7, "\(cell) after reset")
        }
    }

    func testStatefulModelCarriesStateInTrainingForward() throws {
        var model = Sequential { LSTM(3, stateful: true); Dense(1) }
        try model.build(inputShape: [3, 2], seed: 1)
        let x = randomTensor([2, 3, 2], seed: 51)
        var rng = SeededGenerator(seed: 0)
        let a = model.forward(x, rng: &rng)
        let b = model.forward(x, rng: &rng)
        XCTAssertNotEqual(a.scalars, b.scalars, "the second batch must start from the first batch's state")
        model.resetStates()
        XCTAssertEqual(model.forward(x, rng: &rng).scalars, a.scalars)
    }
}
