/// A sequence-to-sequence model (many-to-many with Tx ≠ Ty): an encoder reads `x [B, Tx, F]`,
/// its final state (h, or h and c for LSTM) starts a decoder that writes `y [B, Ty, O]` one step
/// at a time, and a `Dense(O)` head maps each decoder output to a value.
///
/// The decoder's input at step k is the previous target value: during training the true
/// `y[k−1]` (teacher forcing), at inference its own prediction fed back. Step 0 gets the
/// *start value* `x[:, Tx−1, 0..<O]` — the last observed values of the first O input features
/// (for a forecast: the last level of the target).
///
/// ```swift
/// var model = EncoderDecoder(units: 32, outputSize: 1)
/// try model.build(inputFeatures: 1, seed: 7)
/// var adam = Adam(learningRate: 3e-3)
/// let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
///                             options: FitOptions(epochs: 30, batchSize: 32, seed: 7, clipping: .globalNorm(1)))
/// let path = try model.predict(x, steps: 30)   // [B, 30, 1]
/// ```
public struct EncoderDecoder: Sendable {
    /// Settings of the short `fit(_:_:optimizer:options:onEpoch:)`: a loss and the common
    /// `FitOptions` fields, with global-norm clipping on by default.
    public struct TrainingOptions: Sendable {
        public var epochs: Int
        public var batchSize: Int
        /// Seeds initialisation of an unbuilt model and the shuffling of each epoch.
        public var seed: UInt64
        public var clipping: GradientClipping?
        public var loss: Loss

        public init(epochs: Int = 20, batchSize: Int = 32, seed: UInt64 = 0,
                    clipping: GradientClipping? = .globalNorm(1), loss: Loss = .meanSquaredError) {
            self.epochs = epochs; self.batchSize = batchSize; self.seed = seed
            self.clipping = clipping; self.loss = loss
        }
    }

    /// The recurrent cell of the encoder and the decoder (SimpleRNN, LSTM or GRU).
    public let cell: RecurrentKind
    public let units: Int
    public let outputSize: Int
    /// Reads the input sequence; only its final state is used.
    public var encoder: any RecurrentLayer
    /// Writes the output sequence from the encoder's final state.
    public var decoder: any RecurrentLayer
    /// Maps each decoder output `[B, Ty, H]` to `[B, Ty, O]`.
    public var head: Dense
    /// Input features per step, set by `build`.
    public private(set) var inputFeatures: Int?

    /// - Parameters:
    ///   - units: hidden size of the encoder and the decoder (they share it, as the state is handed over).
    ///   - outputSize: values written per output step (O ≤ the input features).
    public init(units: Int, outputSize: Int = 1, cell: RecurrentKind = .lstm) {
        precondition(units > 0 && outputSize > 0, "EncoderDecoder needs positive units and output size")
        self.cell = cell
        self.units = units
        self.outputSize = outputSize
        encoder = cell.layer(units: units)
        decoder = cell.layer(units: units, returnSequences: true)
        head = Dense(outputSize)
    }

    public var isBuilt: Bool { inputFeatures != nil }

    /// Creates the parameters for inputs with `inputFeatures` features per step.
    public mutating func build(inputFeatures: Int, seed: UInt64) throws {
        guard inputFeatures >= outputSize else {
            throw ModelError.invalidConfiguration("the encoder–decoder feeds back \(outputSize) values, so the input needs at least \(outputSize) features, got \(inputFeatures)")
        }
        var rng = SeededGenerator(seed: seed)
        var r1 = rng.fork(), r2 = rng.fork(), r3 = rng.fork()
        try encoder.build(inputShape: [1, inputFeatures], rng: &r1)
        try decoder.build(inputShape: [1, outputSize], rng: &r2)
        try head.build(inputShape: [1, units], rng: &r3)
        self.inputFeatures = inputFeatures
    }

    // MARK: Parameters

    /// Every parameter with its qualified name (`encoder.weight_ih_l0`, `decoder.…`, `head.weight`).
    public var namedParameters: [(name: String, parameter: Parameter)] {
        encoder.parameters.map { ("encoder.\($0.name)", $0) }
            + decoder.parameters.map { ("decoder.\($0.name)", $0) }
            + head.parameters.map { ("head.\($0.name)", $0) }
    }

    public var parameterCount: Int { encoder.parameterCount + decoder.parameterCount + head.parameterCount }

    /// Visits every parameter in place with its qualified name, in the order of `namedParameters`.
    public mutating func updateParameters(_ body: (String, inout Parameter) throws -> Void) rethrows {
        try encoder.updateEachParameter { try body("encoder.\($0.name)", &$0) }
        try decoder.updateEachParameter { try body("decoder.\($0.name)", &$0) }
        try head.updateEachParameter { try body("head.\($0.name)", &$0) }
    }

    public mutating func zeroGradients() {
        encoder.zeroGradients(); decoder.zeroGradients(); head.zeroGradients()
    }

    // MARK: Passes

    /// The decoder's first input: `x[:, Tx−1, 0..<O]` as `[B, 1, O]`.
    public func startValues(_ x: Tensor) -> Tensor {
        let b = x.shape[0], t = x.shape[1], f = x.shape[2], o = outputSize
        var s = Tensor(shape: [b, 1, o])
        for bi in 0..<b { for j in 0..<o { s.scalars[bi * o + j] = x.scalars[(bi * t + t - 1) * f + j] } }
        return s
    }

    /// Teacher-forced decoder inputs: the start value, then `y[:, 0..<Ty−1, :]`.
    func teacherInputs(_ x: Tensor, _ y: Tensor) -> Tensor {
        let b = y.shape[0], ty = y.shape[1], o = outputSize
        let start = startValues(x)
        var d = Tensor(shape: [b, ty, o])
        for bi in 0..<b {
            for j in 0..<o { d.scalars[bi * ty * o + j] = start.scalars[bi * o + j] }
            for k in 1..<max(1, ty) {
                for j in 0..<o { d.scalars[(bi * ty + k) * o + j] = y.scalars[(bi * ty + k - 1) * o + j] }
            }
        }
        return d
    }

    /// Training forward pass with teacher forcing; keeps caches for `backward`.
    /// - Returns: predictions `[B, Ty, O]`.
    public mutating func forwardTeacherForced(_ x: Tensor, _ y: Tensor) -> Tensor {
        let encoded = encoder.forwardWithState(x)
        let decoded = decoder.forwardWithState(teacherInputs(x, y), initialState: encoded.finalStates)
        var rng = SeededGenerator(seed: 0)  // Dense draws nothing
        return head.forward(decoded.output, rng: &rng)
    }

    /// Backpropagates dL/d(predictions) of the last `forwardTeacherForced` through the head,
    /// the decoder and, via the handed-over state, the encoder; accumulates gradients.
    /// - Returns: dL/dx `[B, Tx, F]` (the part through the encoder; the start value's path is
    ///   treated as data, as teacher-forced inputs are).
    @discardableResult
    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        let dDecoded = head.backward(outputGradient)
        let (_, dState) = decoder.backward(outputGradient: dDecoded, finalStateGradients: nil)
        return encoder.backward(outputGradient: nil, finalStateGradients: dState).input
    }

    /// Inference: encodes `x [B, Tx, F]` and decodes `steps` values per sequence, feeding
    /// each prediction back as the next decoder input. Returns `[B, steps, O]`.
    public func predict(_ x: Tensor, steps: Int) throws -> Tensor {
        try validate(x)
        guard steps >= 1 else { throw ModelError.invalidConfiguration("steps must be at least 1, got \(steps)") }
        let b = x.shape[0], o = outputSize
        var state = encoder.call(x).finalStates
        var input = startValues(x)
        var out = Tensor(shape: [b, steps, o])
        for k in 0..<steps {
            let r = decoder.call(input, initialState: state)
            state = r.finalStates
            input = head.infer(r.output)  // [B, 1, O]
            for bi in 0..<b { for j in 0..<o { out.scalars[(bi * steps + k) * o + j] = input.scalars[bi * o + j] } }
        }
        return out
    }

    func validate(_ x: Tensor) throws {
        guard let f = inputFeatures else { throw ModelError.notBuilt }
        guard x.rank == 3, x.shape[2] == f, x.shape[0] > 0, x.shape[1] > 0 else {
            throw ModelError.shapeMismatch("the encoder–decoder expects [batch, time, \(f)], got \(x.shape)")
        }
        if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.nonFinite("input contains a non-finite value (\(x.scalars[bad])) at flat index \(bad)")
        }
    }

    // MARK: Training

    /// The loss of free-running predictions (each step fed its own previous prediction).
    public func evaluate(_ x: Tensor, _ y: Tensor, loss: Loss = .meanSquaredError) throws -> Double {
        try loss.value(predict(x, steps: y.shape[1]), y)
    }

    /// Trains with teacher forcing by mini-batch BPTT through decoder and encoder, in the same
    /// loop as `Sequential.fit`: shuffling, validation (scored free-running), early stopping,
    /// schedules, clipping, L2, progress and `TrainingDiverged` with the last good weights
    /// restored. An unbuilt model is built for `x` with `options.buildSeed ?? options.seed`.
    /// - Parameters:
    ///   - x: `[B, Tx, F]` inputs; `y`: `[B, Ty, O]` targets.
    ///   - onEpochEnd: called with each epoch's record.
    /// - Throws: `ModelError` for bad shapes or options, `TrainingDiverged` on a non-finite
    ///   loss, gradient or weight.
    @discardableResult
    public mutating func fit(_ x: Tensor, _ y: Tensor, loss: Loss, optimizer: inout some Optimizer,
                             options: FitOptions = FitOptions(), onEpochEnd: ((EpochRecord) -> Void)? = nil) throws -> History {
        try options.validate()
        if !isBuilt, x.rank == 3 { try build(inputFeatures: x.shape[2], seed: options.buildSeed ?? options.seed) }
        try checkTrainingPair(x, y, targets: "targets")
        var (train, validation) = try TrainingSet(x: x, y: y).splittingValidation(options, stateful: false)
        if case .data(let vx, let vy) = options.validation {
            try checkTrainingPair(vx, vy, targets: "validation targets")
            validation = TrainingSet(x: vx, y: vy)
        }
        let hooks = TrainingHooks<EncoderDecoder>(epochEnd: { end, _ in onEpochEnd?(end.record) })
        var loop = TrainingLoop(options: options, loss: loss, train: train, validation: validation,
                                baseLearningRate: optimizer.learningRate, hooks: hooks)
        return try loop.run(model: &self, optimizer: &optimizer)
    }

    /// `fit` with `TrainingOptions` (clipping on by default, no progress output).
    /// - Returns: the mean training loss of each epoch.
    @discardableResult
    public mutating func fit(_ x: Tensor, _ y: Tensor, optimizer: inout some Optimizer,
                             options: TrainingOptions = TrainingOptions(),
                             onEpoch: ((Int, Double) -> Void)? = nil) throws -> [Double] {
        let fitOptions = FitOptions(epochs: options.epochs, batchSize: options.batchSize, seed: options.seed,
                                    clipping: options.clipping, progress: .none)
        return try fit(x, y, loss: options.loss, optimizer: &optimizer, options: fitOptions,
                       onEpochEnd: { onEpoch?($0.epoch, $0["loss"]!) })["loss"]
    }

    /// Checks inputs `[B, Tx, F]` and `targets` `[B, Ty, O]`, both finite.
    func checkTrainingPair(_ x: Tensor, _ y: Tensor, targets: String) throws {
        try validate(x)
        guard y.rank == 3, y.shape[0] == x.shape[0], y.shape[2] == outputSize, y.shape[1] >= 1 else {
            throw ModelError.shapeMismatch("\(targets) must be [\(x.shape[0]), steps, \(outputSize)], got \(y.shape)")
        }
        guard y.isFinite else { throw ModelError.nonFinite("\(targets) contain a non-finite value") }
    }
}
