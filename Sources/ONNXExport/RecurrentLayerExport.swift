import Recurrent

/// Emits one SimpleRNN, LSTM or GRU layer, or a Bidirectional one, as ONNX's RNN, LSTM or GRU
/// operator with `layout = 0` (time-major).
///
/// Why time-major and Transposes rather than `layout = 1` (batch-first): the attribute exists
/// only from opset 14, and ONNX Runtime's CPU LSTM refuses `layout = 1` (checked with 1.32);
/// stacked recurrent layers then pass time-major tensors to each other with no Transpose.
///
/// Weights: `W [dirs, G·H, F]`, `R [dirs, G·H, H]`, `B [dirs, 2·G·H]` = `[W_b | R_b]`, gate
/// blocks in ONNX's order (see `GateOrder`). GRU uses `linear_before_reset = 1`: the reset
/// gate multiplies `R_h h + R_bh`, our (and PyTorch's) reset-after form.
///
/// States: the graph input `initial_h.{i}` (and `initial_c.{i}` for LSTM), `[dirs, B, H]`,
/// defaults to zeros when not fed (an initializer of shape `[dirs, 1, H]` expanded to the
/// batch); the outputs `final_h.{i}` (and `final_c.{i}`) are ONNX's `Y_h` (`Y_c`).
struct RecurrentLayerExport {
    let index: Int
    /// The recurrent layer's config (the wrapped one for Bidirectional).
    let cell: LayerConfig
    let bidirectional: Bool
    let sumMerge: Bool
    let returnSequences: Bool
    /// The layer's parameters by name (`weight_ih_l0`, …, `_reverse`).
    let parameters: [String: Tensor]
    let stateBatch: ONNX.Dimension

    var directions: Int { bidirectional ? 2 : 1 }
    var units: Int { cell.units ?? 0 }
    var isLSTM: Bool { cell.type == "LSTM" }

    func emit(_ input: LaidOutValue, into g: inout GraphBuilder) throws -> LaidOutValue {
        let x = g.arrange(input, as: .timeMajor)
        let h = units, blocks = GateOrder.onnxBlocks(forCellType: cell.type)
        let gh = blocks.count * h
        var w: [Float] = [], r: [Float] = [], b: [Float] = []
        var features = 0
        for suffix in bidirectional ? ["", "_reverse"] : [""] {
            let wih = try tensor("weight_ih_l0" + suffix), whh = try tensor("weight_hh_l0" + suffix)
            let bih = try tensor("bias_ih_l0" + suffix), bhh = try tensor("bias_hh_l0" + suffix)
            features = wih.shape[1]
            w += GateOrder.reorder(wih.scalars, blocks: blocks, rowsPerBlock: h, columns: features)
            r += GateOrder.reorder(whh.scalars, blocks: blocks, rowsPerBlock: h, columns: h)
            b += GateOrder.reorder(bih.scalars, blocks: blocks, rowsPerBlock: h, columns: 1)
            b += GateOrder.reorder(bhh.scalars, blocks: blocks, rowsPerBlock: h, columns: 1)
        }
        let dirs = directions
        let stem = "layers.\(index)"
        let wName = g.constant("\(stem).W", w, dims: [dirs, gh, features])
        let rName = g.constant("\(stem).R", r, dims: [dirs, gh, h])
        let bName = g.constant("\(stem).B", b, dims: [dirs, 2 * gh])

        // Initial states: optional graph inputs, zeros by default, expanded to the batch.
        let batch = g.slice(g.op("Shape", x.name, base: "\(stem).input_shape"), starts: [1], ends: [2], axes: [0], base: "\(stem).batch")
        let stateShape = g.concat([g.ints([Int64(dirs)]), batch, g.ints([Int64(h)])], axis: 0, base: "\(stem).state_shape")
        var stateInputs: [String] = []
        for kind in isLSTM ? ["h", "c"] : ["h"] {
            let name = "initial_\(kind).\(index)"
            g.addInput(ONNX.ValueInfo(name: name, shape: [.size(dirs), .named("state_batch"), .size(h)],
                                      documentation: "optional: layer \(index)'s initial \(kind) [directions, batch, \(h)]; zeros when not fed"))
            g.defaultForInput(name, dims: [dirs, 1, h])
            stateInputs.append(g.op("Expand", name, stateShape, base: "\(stem).initial_\(kind)"))
        }

        var attributes: [ONNX.Attribute] = [.init(name: "hidden_size", value: .int(Int64(h)))]
        if bidirectional { attributes.append(.init(name: "direction", value: .string("bidirectional"))) }
        switch cell.type {
        case "SimpleRNN":
            let act = (cell.activation ?? .tanh) == .relu ? "Relu" : "Tanh"
            attributes.append(.init(name: "activations", value: .strings(Array(repeating: act, count: dirs))))
        case "GRU":
            attributes.append(.init(name: "linear_before_reset", value: .int(1)))
        default: break
        }
        let op = ["SimpleRNN": "RNN", "LSTM": "LSTM", "GRU": "GRU"][cell.type]!
        let y = returnSequences ? g.unique("\(stem).Y") : ""
        let yh = "final_h.\(index)", yc = "final_c.\(index)"
        // Inputs: X, W, R, B, sequence_lens (left out), initial_h[, initial_c].
        let inputs = [x.name, wName, rName, bName, ""] + stateInputs
        g.node(op, inputs, base: "\(stem).\(op)", outputNames: isLSTM ? [y, yh, yc] : [y, yh], attributes: attributes)
        for name in isLSTM ? [yh, yc] : [yh] {
            g.addOutput(ONNX.ValueInfo(name: name, shape: [.size(dirs), stateBatch, .size(h)],
                                       documentation: "layer \(index)'s final \(name.hasPrefix("final_c") ? "c" : "h") [directions, batch, \(h)]"))
        }

        if returnSequences {
            // Y: [T, dirs, B, H] → [T, B, H] (one direction or sum) or [T, B, 2H] (concat).
            let out: String
            if !bidirectional {
                out = g.squeeze(y, axes: [1], base: "\(stem).output")
            } else if sumMerge {
                out = g.reduceSum(y, axes: [1], base: "\(stem).output")
            } else {
                out = g.reshape(g.transpose(y, [0, 2, 1, 3], base: "\(stem).Y_tbdh"), [0, 0, -1], base: "\(stem).output")
            }
            return LaidOutValue(name: out, layout: .timeMajor)
        }
        // Y_h: [dirs, B, H] → [B, H] or [B, 2H]; the reverse direction's final state is h←₀.
        let out: String
        if !bidirectional {
            out = g.squeeze(yh, axes: [0], base: "\(stem).output")
        } else if sumMerge {
            out = g.reduceSum(yh, axes: [0], base: "\(stem).output")
        } else {
            out = g.reshape(g.transpose(yh, [1, 0, 2], base: "\(stem).Y_h_bdh"), [0, -1], base: "\(stem).output")
        }
        return LaidOutValue(name: out, layout: .flat)
    }

    private func tensor(_ name: String) throws -> Tensor {
        guard let t = parameters[name] else {
            throw ONNXExportError.missingParameter(layer: index, name: name)
        }
        return t
    }
}
