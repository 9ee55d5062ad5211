/// A stack of layers applied in order: the model type of Recurrent.
///
/// ```swift
/// var model = Sequential {
///     LSTM(50, returnSequences: true)
///     Dropout(0.2)
///     LSTM(50)
///     Dense(1)
/// }
/// try model.build(inputShape: [60, 1], seed: 42)
/// ```
/// Parameters are named `layers.{i}.{pytorch name}` (e.g. `layers.0.weight_ih_l0`): the model
/// file, the optimizer state and `summary()` all use these names.
public struct Sequential: Sendable {
    public var layers: [any Layer]
    /// Input shape without the batch dimension, e.g. `[T, F]`; set by `build`.
    public private(set) var inputShape: [Int]?

    public init(@LayerBuilder _ content: () -> [any Layer]) {
        layers = content()
    }

    public init(layers: [any Layer]) {
        self.layers = layers
    }

    /// Rebuilds a model from layer descriptions (as stored in model files).
    public init(configs: [LayerConfig]) throws {
        layers = try configs.map { try LayerRegistry.makeLayer($0) }
    }

    public var isBuilt: Bool { inputShape != nil }

    /// Creates every parameter for inputs of `inputShape` (no batch dimension), seeded.
    public mutating func build(inputShape: [Int], seed: UInt64) throws {
        guard !layers.isEmpty else { throw ModelError.invalidConfiguration("a Sequential model needs at least one layer") }
        try checkParameterBudget(inputShape: inputShape)
        var rng = SeededGenerator(seed: seed)
        var shape = inputShape
        for i in layers.indices {
            var layerRNG = rng.fork()
            try layers[i].build(inputShape: shape, rng: &layerRNG)
            shape = try layers[i].outputShape(for: shape)
        }
        self.inputShape = inputShape
    }

    /// Checks, without creating any parameter, that the layers accept inputs of `inputShape`
    /// (no batch dimension) and stay within `LayerLimits`; returns the output shape and the
    /// parameter count (nil when a layer type registered outside the engine cannot tell its
    /// size). Cheap for any size: a grid naming `gru:3000` is checked in microseconds, where
    /// `build` would spend minutes on the orthogonal initialisation of a 9000×3000 matrix.
    public func plan(inputShape: [Int]) throws -> (outputShape: [Int], parameterCount: Int?) {
        guard !layers.isEmpty else { throw ModelError.invalidConfiguration("a Sequential model needs at least one layer") }
        let count = try checkParameterBudget(inputShape: inputShape)
        var shape = inputShape
        for layer in layers { shape = try layer.outputShape(for: shape) }
        return (shape, count)
    }

    /// Refuses, before any allocation, a model whose parameters would pass
    /// `LayerLimits.maxParameters` (counted with overflow checks from the layer descriptions);
    /// returns that count (nil when a layer registered outside the engine cannot tell its size).
    @discardableResult
    private func checkParameterBudget(inputShape: [Int]) throws -> Int? {
        guard let first = inputShape.last, first > 0, first <= LayerLimits.maxFeatures else {
            throw ModelError.invalidConfiguration("input shape \(inputShape): features must be between 1 and \(LayerLimits.maxFeatures)")
        }
        if inputShape.count == 2, !(1...LayerLimits.maxSequenceLength).contains(inputShape[0]) {
            throw ModelError.invalidConfiguration("input shape \(inputShape): time steps must be between 1 and \(LayerLimits.maxSequenceLength)")
        }
        let time = inputShape.count == 2 ? inputShape[0] : nil
        do { return try LayerLimits.parameterCount(of: layers.map(\.config), features: first, time: time) } catch let e as LayerBudgetError {
            throw e.reason
        }
    }

    /// Output shape of each layer, without the batch dimension.
    public func layerOutputShapes() throws -> [[Int]] {
        guard var shape = inputShape else { throw ModelError.notBuilt }
        return try layers.map { shape = try $0.outputShape(for: shape); return shape }
    }

    /// The model's output shape without the batch dimension.
    public var outputShape: [Int]? { try? layerOutputShapes().last }

    /// Checks that `x` is `[B, inputShape…]` with finite values.
    public func validate(input x: Tensor, name: String = "input") throws {
        guard let inputShape else { throw ModelError.notBuilt }
        guard x.rank == inputShape.count + 1, Array(x.shape.dropFirst()) == inputShape || (inputShape.count == 2 && x.rank == 3 && x.shape[2] == inputShape[1] && isRecurrentFirst) else {
            throw ModelError.shapeMismatch("\(name) has shape \(x.shape); the model expects [batch, \(inputShape.map(String.init).joined(separator: ", "))]")
        }
        guard x.shape[0] > 0 else { throw ModelError.shapeMismatch("\(name) is empty (batch of 0)") }
        guard x.shape.allSatisfy({ $0 > 0 }) else { throw ModelError.shapeMismatch("\(name) has shape \(x.shape): every dimension must be at least 1 (no time steps or no features)") }
        if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.nonFinite("\(name) contains a non-finite value (\(x.scalars[bad])) at flat index \(bad)")
        }
    }

    /// Recurrent models accept any sequence length.
    private var isRecurrentFirst: Bool {
        layers.first is any RecurrentLayer || layers.first is Bidirectional
    }

    /// Inference on a batch `[B, …]`, optionally in chunks of `batchSize`. Keeps no caches.
    /// With `lengths` (right-padded sequences, see `Sequential+Masking`) the input and lengths
    /// are validated and padded steps masked. Without, a large batch is split into one
    /// contiguous part per kernel thread, each run on its own thread from input to output (see
    /// `inferInParts`); the result does not depend on it.
    /// - Returns: the model's output, `[B, …]`.
    public func predict(_ x: Tensor, lengths: [Int]? = nil, batchSize: Int? = nil) throws -> Tensor {
        try validate(input: x)
        try checkLengths(lengths, for: x)
        let n = x.shape[0], chunk = max(1, batchSize ?? n)
        let parts = Self.inferenceParts(rows: n)
        if parts > 1, lengths == nil { return inferInParts(x, parts: parts, chunk: chunk) }
        return inferInChunks(x, lengths: lengths, chunk: chunk)
    }

    /// `infer` over `x` in chunks of `chunk` rows.
    func inferInChunks(_ x: Tensor, lengths: [Int]? = nil, chunk: Int) -> Tensor {
        let n = x.shape[0]
        if chunk >= n { return infer(x, lengths: lengths) }
        var parts: [Tensor] = []
        var start = 0
        while start < n {
            let end = min(n, start + chunk)
            parts.append(infer(x.slice(start..<end), lengths: lengths.map { Array($0[start..<end]) }))
            start = end
        }
        var shape = parts[0].shape
        shape[0] = n
        return Tensor(shape: shape, scalars: parts.flatMap { $0.scalars })
    }

    /// Inference without validation (callers have checked the input); with `lengths`,
    /// padded steps are masked (see `Sequential+Masking`).
    public func infer(_ x: Tensor, lengths: [Int]? = nil) -> Tensor {
        guard let lengths else { return inferStacked(x) }
        var h = x
        for layer in layers {
            if let r = layer as? any RecurrentLayer {
                h = r.call(h, lengths: lengths).output
            } else {
                h = layer.infer(h)
            }
        }
        return h
    }

    /// Inference layer by layer; from one SimpleRNN/LSTM/GRU to the next (Dropout between them
    /// is the identity here) the hidden sequence stays time-major, as the time loop holds it,
    /// instead of being transposed to `[B, T, H]` and back.
    private func inferStacked(_ x: Tensor) -> Tensor {
        var h = x
        var timeMajor = false  // h.scalars are time-major [T, B, F]
        for (index, layer) in layers.enumerated() {
            if let r = layer as? any CoreRecurrentLayer {
                let toRecurrent = layers[(index + 1)...].first { !($0 is Dropout) } is any CoreRecurrentLayer
                h = r.inferInStack(h, inputTimeMajor: timeMajor, outputTimeMajor: toRecurrent)
                timeMajor = toRecurrent && r.returnSequences
            } else {
                h = layer.infer(h)
            }
        }
        return h
    }

    /// Training forward pass: keeps the caches `backward` needs; dropout draws from `rng`.
    public mutating func forward(_ x: Tensor, rng: inout SeededGenerator) -> Tensor {
        var h = x
        for i in layers.indices { h = layers[i].forward(h, rng: &rng) }
        return h
    }

    /// Backpropagates dL/d(output) through every layer, accumulating parameter gradients.
    /// - Returns: dL/d(input).
    @discardableResult
    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        var g = outputGradient
        for i in layers.indices.reversed() { g = layers[i].backward(g) }
        return g
    }

    /// Sets every parameter gradient to zero.
    public mutating func zeroGradients() {
        for i in layers.indices { layers[i].zeroGradients() }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Every parameter with its qualified name `layers.{i}.{name}`, in a stable order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { i, layer in layer.parameters.map { ("layers.\(i).\($0.name)", $0) } }
    }

    /// Visits every parameter in place with its qualified name, in the order of `namedParameters`.
    public mutating func updateParameters(_ body: (String, inout Parameter) throws -> Void) rethrows {
        for i in layers.indices {
            try layers[i].updateEachParameter { p in try body("layers.\(i).\(p.name)", &p) }
        }
    }

    /// Replaces a parameter's value by qualified name; the shape must match.
    public mutating func setParameter(_ name: String, to value: Tensor) throws {
        var found = false
        var mismatch: String?
        updateParameters { qualified, p in
            guard qualified == name else { return }
            found = true
            if p.value.shape != value.shape {
                mismatch = "\(name) has shape \(p.value.shape), the new value \(value.shape)"
            } else {
                p.value = value
            }
        }
        if let mismatch { throw ModelError.shapeMismatch(mismatch) }
        if !found { throw ModelError.unknownParameter("\(name) (the model has: \(namedParameters.map(\.name).joined(separator: ", ")))") }
    }

    /// A Keras-style table of layers, output shapes and parameter counts.
    public func summary() -> String {
        let shapes = (try? layerOutputShapes()) ?? Array(repeating: [], count: layers.count)
        var rows: [(String, String, String)] = [("Layer (type)", "Output Shape", "Param #")]
        for (i, layer) in layers.enumerated() {
            let c = layer.config
            var kind = c.type
            if let inner = c.layer?.value { kind += "(\(inner.type))" }
            let shape = shapes[i].isEmpty ? "?" : "(None, " + shapes[i].map(String.init).joined(separator: ", ") + ")"
            rows.append(("\(i): \(kind.lowercased())_\(i) (\(kind))", shape, String(layer.parameterCount)))
        }
        let w0 = rows.map(\.0.count).max()! + 2, w1 = rows.map(\.1.count).max()! + 2
        let line = String(repeating: "─", count: w0 + w1 + 10)
        var out = line + "\n"
        for (k, r) in rows.enumerated() {
            out += r.0.padded(to: w0) + r.1.padded(to: w1) + r.2 + "\n"
            if k == 0 { out += String(repeating: "━", count: w0 + w1 + 10) + "\n" }
        }
        out += line + "\n"
        out += " Total params: \(parameterCount)\n"
        if let inputShape { out += " Input shape: (None, \(inputShape.map(String.init).joined(separator: ", ")))\n" }
        return out
    }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension Sequential {
    /// Drops what the last training pass of every layer kept for its backward pass (for a
    /// recurrent layer: every step's states and gates). Call it after training; the next
    /// `forward` allocates them again.
    public mutating func releaseTrainingCaches() {
        for i in layers.indices { layers[i].releaseTrainingCaches() }
    }

    /// Forgets the states that stateful recurrent layers carry between batches.
    public mutating func resetStates() {
        for i in layers.indices {
            if var r = layers[i] as? any RecurrentLayer {
                r.resetStates()
                layers[i] = r
            }
        }
    }

    /// Inference that lets stateful layers carry their final states to the next call, so a
    /// long series can be fed in consecutive pieces.
    /// - Parameter lengths: valid steps per sequence for right-padded batches.
    public mutating func inferCarryingState(_ x: Tensor, lengths: [Int]? = nil) -> Tensor {
        var h = x
        for i in layers.indices {
            if var r = layers[i] as? any RecurrentLayer {
                h = r.inferCarryingState(h, lengths: lengths)
                layers[i] = r
            } else {
                h = layers[i].infer(h)
            }
        }
        return h
    }
}
