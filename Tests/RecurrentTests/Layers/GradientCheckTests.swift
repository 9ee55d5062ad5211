import XCTest
@testable import Recurrent

/// Finite-difference checks of every layer and option. Sizes are tiny: the loss is
/// evaluated twice per parameter entry.
final class GradientCheckTests: XCTestCase {
    private let steps = 4, features = 2, batch = 2

    private func check(_ label: String, tolerance: Double = 2e-3, @LayerBuilder _ layers: () -> [any Layer]) throws {
        let built = layers()
        try onEveryKernelPath(label) { isa in
            var model = Sequential(layers: built)
            try model.build(inputShape: [steps, features], seed: 11)
            checkGradients(&model, input: randomTensor([batch, steps, features], seed: 3), tolerance: tolerance,
                           label: "\(label) [\(isa.rawValue) kernels]")
        }
    }

    func testSimpleRNNTanhLastStep() throws { try check("rnn tanh") { SimpleRNN(3) } }
    func testSimpleRNNReluSequence() throws { try check("rnn relu seq") { SimpleRNN(3, activation: .relu, returnSequences: true) } }
    func testLSTMLastStep() throws { try check("lstm") { LSTM(3) } }
    func testLSTMSequence() throws { try check("lstm seq") { LSTM(3, returnSequences: true) } }
    func testGRULastStep() throws { try check("gru") { GRU(3) } }
    func testGRUSequence() throws { try check("gru seq") { GRU(3, returnSequences: true) } }

    func testStackedWithDenseHead() throws {
        try check("stacked") {
            LSTM(3, returnSequences: true)
            GRU(3, returnSequences: true)
            SimpleRNN(2)
            Dense(2, activation: .tanh)
        }
    }

    func testPerStepDenseHeads() throws {
        for activation in Activation.allCases {
            try check("many-to-many dense \(activation)") {
                GRU(3, returnSequences: true)
                Dense(3, activation: activation)
            }
        }
    }

    func testBidirectionalConcatAndSum() throws {
        for merge in Bidirectional.Merge.allCases {
            try check("bidirectional lstm seq \(merge)") { Bidirectional(LSTM(2, returnSequences: true), merge: merge) }
            try check("bidirectional gru last \(merge)") { Bidirectional(GRU(2), merge: merge); Dense(1) }
        }
    }

    func testDropoutWithFixedMask() throws {
        var dropout = Dropout(0.5)
        var rng = SeededGenerator(seed: 8)
        dropout.fixedMask = (0..<(batch * steps * 3)).map { _ in rng.nextUniform() < 0.5 ? 0 : 2 }
        try check("dropout") {
            LSTM(3, returnSequences: true)
            dropout
            LSTM(2)
        }
    }

    /// Truncated BPTT equals running each k-step chunk alone from the state the full pass
    /// reached there (a constant), and summing the chunks' gradients.
    func testTruncatedBPTTMatchesChunkedRuns() throws {
        for cell in ["lstm", "gru", "rnn"] {
            let t = 6, k = 2, h = 3
            func make(_ bptt: Int?) -> any RecurrentLayer {
                switch cell {
                case "lstm": return LSTM(h, returnSequences: true, bpttSteps: bptt)
                case "gru": return GRU(h, returnSequences: true, bpttSteps: bptt)
                default: return SimpleRNN(h, returnSequences: true, bpttSteps: bptt)
                }
            }
            var truncated = make(k)
            var rng = SeededGenerator(seed: 4)
            try truncated.build(inputShape: [t, features], rng: &rng)
            let x = randomTensor([batch, t, features], seed: 21)
            let dy = randomTensor([batch, t, h], seed: 22)
            let full = truncated.forwardWithState(x)
            let truncatedGrads = truncated.backward(outputGradient: dy, finalStateGradients: nil)

            var expectedParams = truncated.parameters.map { Tensor(shape: $0.value.shape) }
            var expectedDx = Tensor(shape: x.shape)
            var initialGrad: Tensor?
            for chunk in 0..<(t / k) {
                var layer = make(nil)
                layer.parameters = truncated.parameters.map { Parameter(name: $0.name, value: $0.value, isPenalized: $0.isPenalized) }
                let xs = sliceTime(x, chunk * k, k), dys = sliceTime(dy, chunk * k, k)
                var initial: [Tensor]? = nil
                if chunk > 0 {
                    // The state after step chunk·k − 1 of the full pass, recomputed on the prefix.
                    var prefix = make(nil)
                    prefix.parameters = layer.parameters
                    initial = prefix.call(sliceTime(x, 0, chunk * k)).finalStates
                }
                _ = layer.forwardWithState(xs, initialState: initial)
                let g = layer.backward(outputGradient: dys, finalStateGradients: nil)
                for p in layer.parameters.indices {
                    for e in expectedParams[p].scalars.indices { expectedParams[p].scalars[e] += layer.parameters[p].gradient.scalars[e] }
                }
                for bi in 0..<batch { for s in 0..<k { for f in 0..<features {
                    expectedDx[bi, chunk * k + s, f] = g.input[bi, s, f]
                } } }
                if chunk == 0 { initialGrad = g.initialStates[0] }
            }
            XCTAssertEqual(full.output.shape, [batch, t, h])
            for p in truncated.parameters.indices {
                assertClose(truncated.parameters[p].gradient, expectedParams[p], rel: 1e-4, abs: 1e-5, "\(cell) truncated \(truncated.parameters[p].name)")
            }
            assertClose(truncatedGrads.input, expectedDx, rel: 1e-4, abs: 1e-5, "\(cell) truncated dx")
            assertClose(truncatedGrads.initialStates[0], initialGrad!, rel: 1e-4, abs: 1e-5, "\(cell) truncated dh0")
            // And truncation really changes something: the full gradient differs.
            var untruncated = make(nil)
            untruncated.parameters = truncated.parameters.map { Parameter(name: $0.name, value: $0.value, isPenalized: $0.isPenalized) }
            _ = untruncated.forwardWithState(x)
            let fullGrads = untruncated.backward(outputGradient: dy, finalStateGradients: nil)
            XCTAssertNotEqual(fullGrads.input.scalars, truncatedGrads.input.scalars, "\(cell): truncation had no effect")
        }
    }

    /// Gradients with respect to the final states (returnState) and the initial states.
    func testFinalAndInitialStateGradients() throws {
        var layer = LSTM(3)
        var rng = SeededGenerator(seed: 2)
        try layer.build(inputShape: [steps, features], rng: &rng)
        let x = randomTensor([batch, steps, features], seed: 31)
        let h0 = randomTensor([batch, 3], seed: 32, scale: 0.5), c0 = randomTensor([batch, 3], seed: 33, scale: 0.5)
        let rh = randomTensor([batch, 3], seed: 34), rc = randomTensor([batch, 3], seed: 35)
        func loss(_ h0: Tensor, _ c0: Tensor) -> Double {
            let s = layer.call(x, initialState: [h0, c0]).finalStates
            return zip(s[0].scalars, rh.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
                + zip(s[1].scalars, rc.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        var trained = layer
        _ = trained.forwardWithState(x, initialState: [h0, c0])
        let g = trained.backward(outputGradient: nil, finalStateGradients: [rh, rc])
        let eps: Float = 1e-2
        for (which, base) in [h0, c0].enumerated() {
            for k in base.scalars.indices {
                var p = base, m = base
                p.scalars[k] += eps
                m.scalars[k] -= eps
                let numeric = which == 0 ? (loss(p, c0) - loss(m, c0)) / Double(2 * eps) : (loss(h0, p) - loss(h0, m)) / Double(2 * eps)
                XCTAssertEqual(numeric, Double(g.initialStates[which].scalars[k]), accuracy: 2e-3, "state \(which)[\(k)]")
            }
        }
    }

    func testCausalConv1DFrontEnd() throws {
        for activation in [Activation.linear, .relu, .tanh] {
            try check("conv1d \(activation)") {
                Conv1D(filters: 3, kernelSize: 2, dilation: 2, activation: activation)
                LSTM(2)
            }
        }
    }

    private func sliceTime(_ x: Tensor, _ start: Int, _ length: Int) -> Tensor {
        let b = x.shape[0], f = x.shape[2]
        var out = Tensor(shape: [b, length, f])
        for bi in 0..<b { for s in 0..<length { for k in 0..<f { out[bi, s, k] = x[bi, start + s, k] } } }
        return out
    }
}
