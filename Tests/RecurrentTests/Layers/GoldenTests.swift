import XCTest
@testable import Recurrent

/// Every case in `../shared/golden` (PyTorch, float64): outputs, final states and all
/// gradients of L = ½·Σ output², within 1e-4 relative / 1e-6 absolute in Float32, on both
/// every kernel path this CPU has (reference, portable, AVX2, AVX-512, NEON).
final class GoldenTests: XCTestCase {
    override func tearDown() { Kernels.use(.automatic) }

    /// Runs `body` on every kernel path; a failure names the path (see `assertClose`).
    private var currentPath = ""
    private func assertClose(_ actual: Tensor, _ expected: Tensor, _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        RecurrentTests.assertClose(actual, expected, "[\(currentPath) kernels] \(label)", file: file, line: line)
    }
    private func onBothPaths(_ body: () throws -> Void) rethrows {
        try onEveryKernelPath(name) { isa in
            currentPath = isa.rawValue
            try body()
        }
    }

    private func makeLayer(_ golden: GoldenCase, layerIndex: Int) throws -> any RecurrentLayer {
        let h = golden.int("hidden_size")
        let module = golden.json["module"] as! String
        var layer: any RecurrentLayer
        if module.hasSuffix("LSTM") { layer = LSTM(h, returnSequences: true) }
        else if module.hasSuffix("GRU") { layer = GRU(h, returnSequences: true) }
        else { layer = SimpleRNN(h, activation: (golden.config["nonlinearity"] as? String) == "relu" ? .relu : .tanh, returnSequences: true) }
        let inputSize = layerIndex == 0 ? golden.int("input_size") : h
        var rng = SeededGenerator(seed: 0)
        try layer.build(inputShape: [golden.int("seq_len"), inputSize], rng: &rng)
        let suffix = "_l\(layerIndex)"
        layer.parameters = layer.parameters.map { p in
            Parameter(name: p.name, value: golden.tensor("weights", p.name.replacingOccurrences(of: "_l0", with: suffix)), isPenalized: p.isPenalized)
        }
        return layer
    }

    /// Runs a (possibly stacked) unidirectional case layer by layer.
    private func checkStacked(_ name: String) throws {
        let golden = try GoldenCase(name)
        try onBothPaths {
            let layerCount = golden.int("num_layers")
            let isLSTM = (golden.json["module"] as! String).hasSuffix("LSTM")
            var layers = try (0..<layerCount).map { try makeLayer(golden, layerIndex: $0) }
            var h = golden.tensor("x")
            for k in 0..<layerCount {
                var initial = [golden.state("h0", index: k)]
                if isLSTM { initial.append(golden.state("c0", index: k)) }
                let result = layers[k].forwardWithState(h, initialState: initial)
                assertClose(result.finalStates[0], golden.state("h_n", index: k), "\(name) h_n[\(k)]")
                if isLSTM { assertClose(result.finalStates[1], golden.state("c_n", index: k), "\(name) c_n[\(k)]") }
                h = result.output
            }
            assertClose(h, golden.tensor("output"), "\(name) output")
            var g = h  // dL/d(output) for L = ½·Σ output²
            for k in stride(from: layerCount - 1, through: 0, by: -1) {
                let grads = layers[k].backward(outputGradient: g, finalStateGradients: nil)
                for p in layers[k].parameters {
                    let goldenName = p.name.replacingOccurrences(of: "_l0", with: "_l\(k)")
                    assertClose(p.gradient, golden.tensor("grad", goldenName), "\(name) dL/d\(goldenName)")
                }
                assertClose(grads.initialStates[0], golden.state("grad", index: 0, key: "h0", layer: k), "\(name) dL/dh0[\(k)]")
                if isLSTM { assertClose(grads.initialStates[1], golden.state("grad", index: 0, key: "c0", layer: k), "\(name) dL/dc0[\(k)]") }
                g = grads.input
            }
            assertClose(g, golden.tensor("grad", "x"), "\(name) dL/dx")
        }
    }

    func testSimpleRNNTanh() throws { try checkStacked("rnn_tanh") }
    func testSimpleRNNTanhWithInitialState() throws { try checkStacked("rnn_tanh_h0") }
    func testLSTM() throws { try checkStacked("lstm") }
    func testLSTMWithInitialStates() throws { try checkStacked("lstm_h0c0") }
    func testTwoLayerLSTM() throws { try checkStacked("lstm_2layer") }
    func testGRU() throws { try checkStacked("gru") }
    func testGRUWithInitialState() throws { try checkStacked("gru_h0") }

    func testBidirectionalLSTM() throws {
        let golden = try GoldenCase("lstm_bidirectional")
        try onBothPaths {
            var layer = Bidirectional(LSTM(4, returnSequences: true))
            var rng = SeededGenerator(seed: 0)
            try layer.build(inputShape: [golden.int("seq_len"), golden.int("input_size")], rng: &rng)
            layer.parameters = layer.parameters.map { Parameter(name: $0.name, value: golden.tensor("weights", $0.name), isPenalized: $0.isPenalized) }
            let x = golden.tensor("x")
            let out = layer.forward(x, rng: &rng)
            assertClose(out, golden.tensor("output"), "bidirectional output")
            assertClose(layer.infer(x), golden.tensor("output"), "bidirectional inference output")
            let finals = layer.finalStates(x)
            assertClose(finals[0], golden.state("h_n", index: 0), "h_n forward")
            assertClose(finals[1], golden.state("c_n", index: 0), "c_n forward")
            assertClose(finals[2], golden.state("h_n", index: 1), "h_n reverse")
            assertClose(finals[3], golden.state("c_n", index: 1), "c_n reverse")
            let dx = layer.backward(out)
            for p in layer.parameters { assertClose(p.gradient, golden.tensor("grad", p.name), "dL/d\(p.name)") }
            assertClose(dx, golden.tensor("grad", "x"), "dL/dx")
            let g = layer.initialStateGradients
            assertClose(g[0], golden.state("grad", index: 0, key: "h0", layer: 0), "dL/dh0 forward")
            assertClose(g[1], golden.state("grad", index: 0, key: "c0", layer: 0), "dL/dc0 forward")
            assertClose(g[2], golden.state("grad", index: 0, key: "h0", layer: 1), "dL/dh0 reverse")
            assertClose(g[3], golden.state("grad", index: 0, key: "c0", layer: 1), "dL/dc0 reverse")
        }
    }

    func testDense() throws {
        let golden = try GoldenCase("linear")
        try onBothPaths {
            var layer = Dense(golden.int("out_features"))
            var rng = SeededGenerator(seed: 0)
            try layer.build(inputShape: [golden.int("in_features")], rng: &rng)
            layer.parameters = layer.parameters.map { Parameter(name: $0.name, value: golden.tensor("weights", $0.name), isPenalized: $0.isPenalized) }
            let x = golden.tensor("x")
            let y = layer.forward(x, rng: &rng)
            assertClose(y, golden.tensor("output"), "linear output")
            let dx = layer.backward(y)
            assertClose(layer.parameters[0].gradient, golden.tensor("grad", "weight"), "dL/dweight")
            assertClose(layer.parameters[1].gradient, golden.tensor("grad", "bias"), "dL/dbias")
            assertClose(dx, golden.tensor("grad", "x"), "dL/dx")
        }
    }
}

extension GoldenCase {
    /// Row `layer` of `grad.<key>` `[L·D, B, H]`, as `[B, H]`.
    func state(_ group: String, index: Int, key: String, layer: Int) -> Tensor {
        let s = tensor(group, key)
        return s.slice(layer..<(layer + 1)).reshaped(Array(s.shape.dropFirst()))
    }
}
