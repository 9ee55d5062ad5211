import Recurrent

/// Emits a `Sequential` network's layers into a graph: Dense (MatMul, Add, activation),
/// recurrent layers (see `RecurrentLayerExport`), causal Conv1D (Conv with left padding
/// only), Dropout (nothing: inference is the identity).
struct NetworkExport {
    static let exportableTypes: Set<String> = ["Dense", "Dropout", "SimpleRNN", "LSTM", "GRU", "Bidirectional", "Conv1D"]

    let architecture: ModelArchitecture
    /// Every parameter by its qualified name (`layers.{i}.{name}`).
    let parameters: [String: Tensor]
    let stateBatch: ONNX.Dimension

    /// The layers' checks, before anything is emitted.
    static func check(_ architecture: ModelArchitecture, file: String) throws {
        for (i, layer) in architecture.layers.enumerated() where !exportableTypes.contains(layer.type) {
            throw ONNXExportError.unsupportedLayer(file: file, layer: i, type: layer.type)
        }
        for (i, layer) in architecture.layers.enumerated() where layer.type == "Bidirectional" {
            let inner = layer.layer?.value.type ?? "nothing"
            guard ["SimpleRNN", "LSTM", "GRU"].contains(inner) else {
                throw ONNXExportError.unsupportedLayer(file: file, layer: i, type: "Bidirectional(\(inner))")
            }
        }
    }

    /// Appends every layer to `g`, starting from `input` (batch-major); returns the output,
    /// batch-major.
    func emit(input: LaidOutValue, into g: inout GraphBuilder) throws -> String {
        var value = input
        for (i, config) in architecture.layers.enumerated() {
            let own = parameters.filter { $0.key.hasPrefix("layers.\(i).") }
            let local = Dictionary(uniqueKeysWithValues: own.map { (String($0.key.dropFirst("layers.\(i).".count)), $0.value) })
            switch config.type {
            case "Dropout":
                continue
            case "Dense":
                value = try dense(config, local, index: i, value, &g)
            case "Conv1D":
                value = try conv(config, local, index: i, value, &g)
            case "Bidirectional":
                let inner = config.layer!.value
                value = try RecurrentLayerExport(index: i, cell: inner, bidirectional: true, sumMerge: config.merge == "sum",
                                                 returnSequences: inner.returnSequences ?? false, parameters: local,
                                                 stateBatch: stateBatch).emit(value, into: &g)
            default:
                value = try RecurrentLayerExport(index: i, cell: config, bidirectional: false, sumMerge: false,
                                                 returnSequences: config.returnSequences ?? false, parameters: local,
                                                 stateBatch: stateBatch).emit(value, into: &g)
            }
        }
        return g.arrange(value, as: .batchMajor).name
    }

    private func dense(_ c: LayerConfig, _ p: [String: Tensor], index i: Int, _ input: LaidOutValue, _ g: inout GraphBuilder) throws -> LaidOutValue {
        // Features must be the last axis; batch- or time-major both are.
        let x = input.layout == .channelsFirst ? g.arrange(input, as: .batchMajor) : input
        guard let w = p["weight"], let b = p["bias"] else { throw ONNXExportError.missingParameter(layer: i, name: "weight") }
        let out = w.shape[0], fanIn = w.shape[1]
        // MatMul takes W as [in, out]: ours is [out, in].
        var wt = [Float](repeating: 0, count: out * fanIn)
        for o in 0..<out { for k in 0..<fanIn { wt[k * out + o] = w.scalars[o * fanIn + k] } }
        let wName = g.constant("layers.\(i).weight_t", wt, dims: [fanIn, out])
        let bName = g.constant("layers.\(i).bias", b.scalars, dims: [out])
        let y = g.op("Add", g.op("MatMul", x.name, wName, base: "layers.\(i).matmul"), bName, base: "layers.\(i).affine")
        return LaidOutValue(name: activation(c.activation ?? .linear, y, base: "layers.\(i).output", &g), layout: x.layout)
    }

    private func conv(_ c: LayerConfig, _ p: [String: Tensor], index i: Int, _ input: LaidOutValue, _ g: inout GraphBuilder) throws -> LaidOutValue {
        let x = g.arrange(input, as: .channelsFirst)
        guard let w = p["weight"], let b = p["bias"] else { throw ONNXExportError.missingParameter(layer: i, name: "weight") }
        let k = w.shape[2], d = c.dilation ?? 1
        let wName = g.constant("layers.\(i).weight", w.scalars, dims: w.shape)
        let bName = g.constant("layers.\(i).bias", b.scalars, dims: [w.shape[0]])
        // Causal: (K−1)·d zeros before the first step, none after.
        let y = g.op("Conv", x.name, wName, bName, base: "layers.\(i).conv", attributes: [
            .init(name: "kernel_shape", value: .ints([Int64(k)])),
            .init(name: "dilations", value: .ints([Int64(d)])),
            .init(name: "strides", value: .ints([1])),
            .init(name: "pads", value: .ints([Int64((k - 1) * d), 0])),
        ])
        return LaidOutValue(name: activation(c.activation ?? .linear, y, base: "layers.\(i).output", &g), layout: .channelsFirst)
    }

    private func activation(_ a: Activation, _ x: String, base: String, _ g: inout GraphBuilder) -> String {
        switch a {
        case .linear: return x
        case .tanh: return g.op("Tanh", x, base: base)
        case .sigmoid: return g.op("Sigmoid", x, base: base)
        case .relu: return g.op("Relu", x, base: base)
        case .softmax: return g.op("Softmax", x, base: base, attributes: [.init(name: "axis", value: .int(-1))])
        }
    }
}
