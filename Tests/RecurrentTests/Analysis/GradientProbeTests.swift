import Foundation
import XCTest
@testable import Recurrent

/// `Sequential.gradientNorms` against the per-step norms the layer records itself (which
/// GradientNormTests checks against finite differences).
final class GradientProbeTests: XCTestCase {
    func testProbeMatchesLayerNormsAndLeavesModelUntouched() throws {
        let x = randomTensor([3, 7, 2], seed: 5)
        for cell in ["rnn", "lstm", "gru"] {
            let first: any Layer
            switch cell {
            case "lstm": first = LSTM(4, returnSequences: true)
            case "gru": first = GRU(4, returnSequences: true)
            default: first = SimpleRNN(4, returnSequences: true)
            }
            var model = Sequential(layers: [first, LSTM(3), Dense(1)])
            try model.build(inputShape: [7, 2], seed: 9)
            let y = randomTensor([3, 1], seed: 6)
            let before = model.namedParameters.map { $0.parameter.gradient.scalars }
            let norms = try model.gradientNorms(x, y, loss: .meanSquaredError)
            XCTAssertEqual(norms.map(\.layerIndex), [0, 1])
            XCTAssertEqual(model.namedParameters.map { $0.parameter.gradient.scalars }, before, "\(cell): the model's gradients must not change")
            for layer in model.layers { XCTAssertFalse((layer as? any RecurrentLayer)?.recordsGradientNorms ?? false) }

            // The same pass by hand.
            var copy = model
            var r0 = copy.layers[0] as! any RecurrentLayer, r1 = copy.layers[1] as! any RecurrentLayer
            var dense = copy.layers[2]
            r0.recordsGradientNorms = true
            r1.recordsGradientNorms = true
            var rng = SeededGenerator(seed: 0)
            let h0 = r0.forwardWithState(x).output
            let h1 = r1.forwardWithState(h0).output
            let p = dense.forward(h1, rng: &rng)
            let g = try Loss.meanSquaredError(p, y).gradient
            let g1 = r1.backward(outputGradient: dense.backward(g), finalStateGradients: nil)
            let g0 = r0.backward(outputGradient: g1.input, finalStateGradients: nil)
            XCTAssertEqual(norms[0].hidden, r0.recordedGradientNorms.hidden, cell)
            XCTAssertEqual(norms[1].hidden, r1.recordedGradientNorms.hidden, cell)
            XCTAssertEqual(norms[1].cell, r1.recordedGradientNorms.cell, cell)
            XCTAssertEqual(norms[0].cell.count, cell == "lstm" ? 7 : 0)
            func norm(_ t: Tensor) -> Float { t.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            XCTAssertEqual(norms[0].initialHidden, norm(g0.initialStates[0]), accuracy: 1e-6 * max(1, norms[0].initialHidden))
            XCTAssertEqual(norms[1].initialCell ?? -1, norm(g1.initialStates[1]), accuracy: 1e-6)
            // By distance: [0] is the last step, [T] the initial state.
            XCTAssertEqual(norms[1].hiddenByDistance.count, 8)
            XCTAssertEqual(norms[1].hiddenByDistance.first, norms[1].hidden.last)
            XCTAssertEqual(norms[1].hiddenByDistance.last, norms[1].initialHidden)
            XCTAssertEqual(norms[1].cellByDistance.count, 8)
        }
    }

    func testProbeRejectsMismatchedLengths() throws {
        var model = Sequential { GRU(3); Dense(1) }
        try model.build(inputShape: [4, 2], seed: 1)
        let x = randomTensor([2, 4, 2], seed: 1), y = randomTensor([2, 1], seed: 2)
        XCTAssertThrowsError(try model.gradientNorms(x, y, loss: .meanSquaredError, lengths: [4])) { e in
            XCTAssertTrue("\(e)".contains("lengths has 1 entries but the batch has 2"), "\(e)")
        }
    }
}
