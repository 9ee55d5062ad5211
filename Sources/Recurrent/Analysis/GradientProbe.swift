/// ‖∂L/∂h‖ (and ‖∂L/∂c‖ for LSTM) of one recurrent layer at every step of one backward pass.
///
/// Norms are taken over the whole batch (the Frobenius norm of the `[B, H]` gradient).
/// Step t = 0 is the first input step; the *initial* norm is the gradient that reaches the
/// state before the first step (`h_{−1}`, the initial state), one step further back.
public struct LayerGradientNorms: Sendable, Equatable {
    /// Index of the layer in `Sequential.layers`.
    public var layerIndex: Int
    /// `SimpleRNN`, `LSTM` or `GRU`.
    public var layerType: String
    /// ‖∂L/∂h_t‖ for t = 0..<T, in time order.
    public var hidden: [Float]
    /// ‖∂L/∂c_t‖ for t = 0..<T (LSTM), else empty.
    public var cell: [Float]
    /// ‖∂L/∂h_{−1}‖: the gradient reaching the initial hidden state.
    public var initialHidden: Float
    /// ‖∂L/∂c_{−1}‖ (LSTM), else nil.
    public var initialCell: Float?

    public init(layerIndex: Int, layerType: String, hidden: [Float], cell: [Float], initialHidden: Float, initialCell: Float?) {
        self.layerIndex = layerIndex
        self.layerType = layerType
        self.hidden = hidden
        self.cell = cell
        self.initialHidden = initialHidden
        self.initialCell = initialCell
    }

    /// ‖∂L/∂h‖ by distance from the last step: `[k]` is ‖∂L/∂h_{T−1−k}‖ for k < T and
    /// `[T]` is the initial state's. T + 1 values.
    public var hiddenByDistance: [Float] { hidden.reversed() + [initialHidden] }

    /// ‖∂L/∂c‖ by distance from the last step (LSTM; empty otherwise), like `hiddenByDistance`.
    public var cellByDistance: [Float] {
        guard let initialCell else { return [] }
        return cell.reversed() + [initialCell]
    }
}

extension Sequential {
    /// One training forward and backward pass on `(x, y)` that records the per-step gradient
    /// norms of every recurrent layer (`SimpleRNN`, `LSTM`, `GRU`; `Bidirectional` is skipped).
    ///
    /// The model is not changed: the pass runs on a copy, so weights, gradients and the states
    /// of stateful layers stay as they were. Recording is off outside this call, so training
    /// pays nothing for it.
    /// - Parameters:
    ///   - x: inputs `[B, T, F]`.
    ///   - y: targets shaped like the model's output.
    ///   - loss: the objective whose gradient is traced.
    ///   - weights: optional loss weights `[B]` or `[B, T]`.
    ///   - lengths: optional valid steps per sequence (right padding).
    ///   - seed: seeds dropout in the training pass.
    /// - Returns: one entry per recurrent layer, in layer order.
    public func gradientNorms(_ x: Tensor, _ y: Tensor, loss: Loss, weights: Tensor? = nil,
                              lengths: [Int]? = nil, seed: UInt64 = 0) throws -> [LayerGradientNorms] {
        try checkTrainingPair(x, y, names: ("x", "y"))
        try checkLengths(lengths, for: x)
        var copy = self
        for i in copy.layers.indices {
            if var r = copy.layers[i] as? any RecurrentLayer {
                r.recordsGradientNorms = true
                copy.layers[i] = r
            }
        }
        var rng = SeededGenerator(seed: seed)
        let prediction = try copy.forward(x, lengths: lengths, rng: &rng)
        let result = try loss(prediction, y, weights: weights)
        var g = result.gradient
        var norms: [LayerGradientNorms] = []
        for i in copy.layers.indices.reversed() {
            guard var r = copy.layers[i] as? any RecurrentLayer else {
                g = copy.layers[i].backward(g)
                continue
            }
            let back = r.backward(outputGradient: g, finalStateGradients: nil)
            g = back.input
            let initial = back.initialStates.map { t in Float(t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()) }
            norms.append(LayerGradientNorms(layerIndex: i, layerType: r.config.type, hidden: r.recordedGradientNorms.hidden,
                                            cell: r.recordedGradientNorms.cell, initialHidden: initial[0],
                                            initialCell: initial.count > 1 ? initial[1] : nil))
            copy.layers[i] = r
        }
        return norms.reversed()
    }
}
