import Foundation
import XCTest
@testable import Recurrent

/// The per-step norms ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) the backward pass records, checked against
/// finite differences: h_t is perturbed by restarting the suffix of the sequence from it.
final class GradientNormTests: XCTestCase {
    func testRecordedNormsMatchFiniteDifferences() throws {
        let steps = 6, batch = 2, units = 3
        let x = randomTensor([batch, steps, 2], seed: 60)
        let r = randomTensor([batch, steps, units], seed: 61)
        for cell in ["lstm", "gru", "rnn"] {
            var layer: any RecurrentLayer
            switch cell {
            case "lstm": layer = LSTM(units, returnSequences: true)
            case "gru": layer = GRU(units, returnSequences: true)
            default: layer = SimpleRNN(units, returnSequences: true)
            }
            var rng = SeededGenerator(seed: 62)
            try layer.build(inputShape: [steps, 2], rng: &rng)
            layer.recordsGradientNorms = true
            _ = layer.forwardWithState(x)
            _ = layer.backward(outputGradient: r, finalStateGradients: nil)
            let hNorms = layer.recordedGradientNorms.hidden, cNorms = layer.recordedGradientNorms.cell
            XCTAssertEqual(hNorms.count, steps)
            XCTAssertEqual(cNorms.count, cell == "lstm" ? steps : 0)

            for t in 0..<(steps - 1) {
                // L as a function of the states after step t: the suffix x_{t+1…} restarted from them.
                let prefix = Tensor(shape: [batch, t + 1, 2], scalars: (0..<batch).flatMap { b in (0...t).flatMap { s in [x[b, s, 0], x[b, s, 1]] } })
                let suffixLength = steps - t - 1
                let suffix = Tensor(shape: [batch, suffixLength, 2], scalars: (0..<batch).flatMap { b in ((t + 1)..<steps).flatMap { s in [x[b, s, 0], x[b, s, 1]] } })
                let start = layer.call(prefix)
                func loss(_ states: [Tensor]) -> Double {
                    let out = layer.call(suffix, initialState: states).output
                    var sum = 0.0
                    for b in 0..<batch { for s in 0..<suffixLength { for j in 0..<units {
                        sum += Double(out[b, s, j] * r[b, t + 1 + s, j])
                    } } }
                    // plus the output at step t itself, which is h_t
                    for b in 0..<batch { for j in 0..<units { sum += Double(states[0][b, j] * r[b, t, j]) } }
                    return sum
                }
                // For c_t the total derivative is wanted: h_t = o_t ⊙ tanh(c_t) moves with c_t.
                let outputGate = cell == "lstm" ? lstmOutputGate(layer, x, t: t) : nil
                for which in 0..<start.finalStates.count {
                    var squared = 0.0
                    let eps: Float = 1e-2
                    for k in start.finalStates[which].scalars.indices {
                        var plus = start.finalStates, minus = start.finalStates
                        plus[which].scalars[k] += eps
                        minus[which].scalars[k] -= eps
                        if which == 1, let o = outputGate {
                            plus[0].scalars[k] = o[k] * tanhf(plus[1].scalars[k])
                            minus[0].scalars[k] = o[k] * tanhf(minus[1].scalars[k])
                        }
                        let d = (loss(plus) - loss(minus)) / Double(2 * eps)
                        squared += d * d
                    }
                    let expected = squared.squareRoot()
                    let recorded = Double(which == 0 ? hNorms[t] : cNorms[t])
                    XCTAssertEqual(recorded, expected, accuracy: 2e-3 * max(1, expected), "\(cell) ‖∂L/∂\(which == 0 ? "h" : "c")_\(t)‖")
                }
            }
        }
    }

    /// o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho), `[B·H]`.
    private func lstmOutputGate(_ layer: any RecurrentLayer, _ x: Tensor, t: Int) -> [Float] {
        let b = x.shape[0], f = x.shape[2], h = layer.units
        var hPrev = Tensor(shape: [b, h])
        if t > 0 {
            let prefix = Tensor(shape: [b, t, f], scalars: (0..<b).flatMap { bi in (0..<t).flatMap { s in (0..<f).map { x[bi, s, $0] } } })
            hPrev = layer.call(prefix).finalStates[0]
        }
        let p = layer.parameters
        var o = [Float](repeating: 0, count: b * h)
        for bi in 0..<b {
            for j in 0..<h {
                let row = 3 * h + j
                var z = p[2].value.scalars[row] + p[3].value.scalars[row]
                for k in 0..<f { z += p[0].value[row, k] * x[bi, t, k] }
                for k in 0..<h { z += p[1].value[row, k] * hPrev[bi, k] }
                o[bi * h + j] = 1 / (1 + expf(-z))
            }
        }
        return o
    }
}
