/// What SimpleRNN, LSTM and GRU share: options, the time loop, and a layer-level API with
/// explicit initial and final states (the Keras `initial_state` / `return_state`).
///
/// The time loop itself (`RecurrentCore`) is internal to the engine: this protocol is the whole
/// public surface, so a layer's caches and kernels can change without breaking callers.
public protocol RecurrentLayer: Layer {
    /// H, the size of the hidden state.
    var units: Int { get }
    /// The step function (which gates and states).
    var cell: RecurrentCell { get }
    /// Backpropagation through time truncated to chunks of this many steps (nil: the whole sequence).
    var bpttSteps: Int? { get }
    /// Whether each batch starts from the final states of the previous one.
    var isStateful: Bool { get }
    /// Output every step `[B, T, H]` (true) or only the last `[B, H]` (false).
    var returnSequences: Bool { get }
    /// Whether callers use the final states (`finalStates` of `call`); informational in a
    /// `Sequential`, which passes on only the output.
    var returnState: Bool { get }
    /// Initial states for the next `forward`/`infer` (zeros when nil), each `[B, H]`.
    var initialState: [Tensor]? { get set }
    /// When true, every `backward` records the per-step gradient norms into
    /// `recordedGradientNorms`. Off by default, so training pays nothing for it.
    var recordsGradientNorms: Bool { get set }
    /// The norms from the last recorded `backward`, summed over the batch: `hidden[t]` =
    /// ‖∂L/∂h_t‖ and, for LSTM, `cell[t]` = ‖∂L/∂c_t‖ (empty for the other cells), t = 0..<T.
    var recordedGradientNorms: (hidden: [Float], cell: [Float]) { get }
    /// Runs the layer on `x [B, T, F]` from `initialState` (or the layer's `initialState`).
    /// - Parameter lengths: valid steps per sequence for right-padded batches (masking).
    func call(_ x: Tensor, initialState: [Tensor]?, lengths: [Int]?) -> RecurrentResult
    /// Training forward pass that also returns the final states (and, for a stateful
    /// layer, carries them to the next batch).
    mutating func forwardWithState(_ x: Tensor, initialState: [Tensor]?, lengths: [Int]?) -> RecurrentResult
    /// Inference that carries the final states to the next call when the layer is stateful.
    mutating func inferCarryingState(_ x: Tensor, lengths: [Int]?) -> Tensor
    /// Forgets the state a stateful layer carries between batches.
    mutating func resetStates()
    /// BPTT with gradients for the output and, optionally, for the final states.
    /// - Returns: dL/dx `[B, T, F]` and dL/d(initial states).
    mutating func backward(outputGradient: Tensor?, finalStateGradients: [Tensor]?) -> (input: Tensor, initialStates: [Tensor])
}

extension RecurrentLayer {
    /// `call` from the layer's own initial state, every step valid.
    public func call(_ x: Tensor, initialState: [Tensor]? = nil) -> RecurrentResult { call(x, initialState: initialState, lengths: nil) }
    public func call(_ x: Tensor, lengths: [Int]?) -> RecurrentResult { call(x, initialState: nil, lengths: lengths) }
    public mutating func forwardWithState(_ x: Tensor, initialState: [Tensor]? = nil) -> RecurrentResult {
        forwardWithState(x, initialState: initialState, lengths: nil)
    }
    public mutating func forwardWithState(_ x: Tensor, lengths: [Int]?) -> RecurrentResult {
        forwardWithState(x, initialState: nil, lengths: lengths)
    }
    public mutating func inferCarryingState(_ x: Tensor) -> Tensor { inferCarryingState(x, lengths: nil) }
}

/// SimpleRNN, LSTM and GRU: a `RecurrentLayer` whose time loop is a `RecurrentCore`.
protocol CoreRecurrentLayer: RecurrentLayer {
    var core: RecurrentCore { get set }
}

/// The outputs of a recurrent layer called on a sequence.
public struct RecurrentResult: Sendable {
    /// `[B, T, H]` when `returnSequences`, else `[B, H]`.
    public var output: Tensor
    /// `[h_T]`, or `[h_T, c_T]` for LSTM, each `[B, H]`.
    public var finalStates: [Tensor]
}

extension CoreRecurrentLayer {
    public var units: Int { core.units }
    public var cell: RecurrentCell { core.cell }
    public var bpttSteps: Int? { core.bpttSteps }
    public var isStateful: Bool { core.isStateful }
    public var parameters: [Parameter] {
        get { core.parameters }
        set { core.parameters = newValue }
    }

    public mutating func updateEachParameter(_ body: (inout Parameter) throws -> Void) rethrows {
        for j in core.parameters.indices { try body(&core.parameters[j]) }
    }

    public var recordsGradientNorms: Bool {
        get { core.recordsGradientNorms }
        set { core.recordsGradientNorms = newValue }
    }

    public var recordedGradientNorms: (hidden: [Float], cell: [Float]) {
        (core.hiddenGradientNorms, core.cellGradientNorms)
    }

    var baseConfig: LayerConfig {
        var c = LayerConfig(type: core.cell.typeName)
        c.units = core.units
        c.returnSequences = returnSequences
        if returnState { c.returnState = true }
        if core.isStateful { c.stateful = true }
        c.bpttSteps = core.bpttSteps
        return c
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] > 0 else {
            throw ModelError.shapeMismatch("\(core.cell.typeName) needs input [time, features], got \(inputShape)")
        }
        return returnSequences ? [inputShape[0], core.units] : [core.units]
    }

    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {
        _ = try outputShape(for: inputShape)
        core.build(inputSize: inputShape[1], rng: &rng)
    }

    /// Runs the layer on `x [B, T, F]` from `initialState` (or the layer's `initialState`).
    /// - Parameter lengths: valid steps per sequence for right-padded batches (masking).
    public func call(_ x: Tensor, initialState: [Tensor]?, lengths: [Int]?) -> RecurrentResult {
        let out = core.runWithoutCache(x, initialStates: startState(initialState, batch: x.shape[0]), lengths: lengths,
                                       needsSequence: returnSequences)
        return result(out, batch: x.shape[0], steps: x.shape[1])
    }

    public func infer(_ input: Tensor) -> Tensor { call(input).output }

    /// Inference inside a stack (`Sequential.infer`): `x.scalars` are time-major `[T, B, F]`
    /// when `inputTimeMajor`, and a returned sequence is time-major `[T, B, H]` when
    /// `outputTimeMajor` (its shape still reads `[B, T, H]`); else as `infer`.
    func inferInStack(_ x: Tensor, inputTimeMajor: Bool, outputTimeMajor: Bool) -> Tensor {
        let layout = RecurrentCore.Layout(inputTimeMajor: inputTimeMajor,
                                          sequence: !returnSequences ? .none : outputTimeMajor ? .timeMajor : .batchMajor)
        let out = core.runWithoutCache(x, initialStates: startState(nil, batch: x.shape[0]), layout: layout)
        return returnSequences ? Tensor(shape: [x.shape[0], x.shape[1], core.units], scalars: out.hiddenSequence) : out.finalStates[0]
    }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        trainingPass(input, initialState: nil, lengths: nil).output
    }

    /// Training forward pass that also returns the final states (and, for a stateful
    /// layer, carries them to the next batch).
    public mutating func forwardWithState(_ x: Tensor, initialState: [Tensor]?, lengths: [Int]?) -> RecurrentResult {
        trainingPass(x, initialState: initialState, lengths: lengths)
    }

    /// The training pass behind `forward` and `forwardWithState`, called directly by both (no
    /// protocol dispatch between the layer and the C time loop).
    private mutating func trainingPass(_ x: Tensor, initialState: [Tensor]?, lengths: [Int]?) -> RecurrentResult {
        let out = core.run(x, initialStates: startState(initialState, batch: x.shape[0]), lengths: lengths,
                           needsSequence: returnSequences)
        if core.isStateful { core.carriedState = out.finalStates }
        return result(out, batch: x.shape[0], steps: x.shape[1])
    }

    /// Inference that carries the final states to the next call when the layer is stateful.
    /// - Parameter lengths: valid steps per sequence for right-padded batches.
    public mutating func inferCarryingState(_ x: Tensor, lengths: [Int]?) -> Tensor {
        let r = call(x, initialState: nil, lengths: lengths)
        if core.isStateful { core.carriedState = r.finalStates }
        return r.output
    }

    /// Forgets the state a stateful layer carries between batches.
    public mutating func resetStates() { core.carriedState = nil }

    /// Drops the training pass's arena (states, gates and BPTT scratch of every step).
    public mutating func releaseTrainingCaches() { core.clearCache() }

    private func startState(_ explicit: [Tensor]?, batch: Int) -> [Tensor]? {
        if let explicit { return explicit }
        if core.isStateful, let carried = core.carriedState, carried[0].shape[0] == batch { return carried }
        return initialState
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        backward(outputGradient: outputGradient, finalStateGradients: nil).input
    }

    /// BPTT with gradients for the output and, optionally, for the final states.
    /// - Returns: dL/dx `[B, T, F]` and dL/d(initial states).
    public mutating func backward(outputGradient: Tensor?, finalStateGradients: [Tensor]?) -> (input: Tensor, initialStates: [Tensor]) {
        var sequenceGradient: [Float]? = nil
        var finals = finalStateGradients
        if let g = outputGradient {
            if returnSequences {
                sequenceGradient = g.swappingFirstTwoAxes().scalars
            } else if var f = finals {
                for k in f[0].scalars.indices { f[0].scalars[k] += g.scalars[k] }
                finals = f
            } else {
                finals = [g] + (core.cell == .lstm ? [Tensor(shape: g.shape)] : [])
            }
        }
        return core.backward(sequenceGradient: sequenceGradient, finalStateGradients: finals)
    }

    private func result(_ out: RecurrentCore.Output, batch b: Int, steps t: Int) -> RecurrentResult {
        let h = core.units
        let output = returnSequences
            ? Tensor(shape: [b, t, h], scalars: out.hiddenSequence)
            : out.finalStates[0]
        return RecurrentResult(output: output, finalStates: out.finalStates)
    }
}

extension RecurrentCore {
    init(cell: RecurrentCell, units: Int, bpttSteps: Int?, stateful: Bool) {
        self.init(cell: cell, units: units)
        self.bpttSteps = bpttSteps
        isStateful = stateful
    }
}

/// Reads the options every recurrent layer config shares.
struct RecurrentOptions {
    var units: Int, returnSequences: Bool, returnState: Bool, bpttSteps: Int?, stateful: Bool
    init(_ config: LayerConfig) throws {
        stateful = config.stateful ?? false
        units = try config.require(config.units, "units")
        guard units > 0 else { throw ModelError.invalidConfiguration("\(config.type) units must be positive, got \(units)") }
        returnSequences = config.returnSequences ?? false
        returnState = config.returnState ?? false
        bpttSteps = config.bpttSteps
        if let k = bpttSteps, k < 1 { throw ModelError.invalidConfiguration("bptt_steps must be at least 1, got \(k)") }
    }
}

/// The lab's plain recurrent layer: a_t = g(W_aa a_{t−1} + W_ax x_t + b_a), g = tanh or relu.
/// PyTorch's `nn.RNN` parameters (`weight_ih_l0 [H, F]`, `weight_hh_l0 [H, H]`, two biases).
public struct SimpleRNN: CoreRecurrentLayer {
    var core: RecurrentCore
    public let returnSequences: Bool
    public let returnState: Bool
    public var initialState: [Tensor]?

    /// - Parameters:
    ///   - units: H, the size of the hidden state.
    ///   - activation: `.tanh` (default) or `.relu`.
    ///   - returnSequences: output every step rather than the last.
    ///   - bpttSteps: truncate backpropagation through time to chunks of this many steps.
    ///   - stateful: start each batch from the previous batch's final states.
    public init(_ units: Int, activation: Activation = .tanh, returnSequences: Bool = false, returnState: Bool = false, bpttSteps: Int? = nil, stateful: Bool = false) {
        precondition(units > 0, "SimpleRNN needs at least one unit")
        precondition(activation == .tanh || activation == .relu, "SimpleRNN activation must be tanh or relu")
        core = RecurrentCore(cell: .simple(activation), units: units, bpttSteps: bpttSteps, stateful: stateful)
        self.returnSequences = returnSequences
        self.returnState = returnState
    }

    init(config: LayerConfig) throws {
        let o = try RecurrentOptions(config)
        let activation = config.activation ?? .tanh
        guard activation == .tanh || activation == .relu else {
            throw ModelError.invalidConfiguration("SimpleRNN activation must be tanh or relu, got \(activation.rawValue)")
        }
        self.init(o.units, activation: activation, returnSequences: o.returnSequences, returnState: o.returnState, bpttSteps: o.bpttSteps, stateful: o.stateful)
    }

    public var config: LayerConfig {
        var c = baseConfig
        if case .simple(let a) = core.cell { c.activation = a }
        return c
    }
}

/// LSTM and GRU: the gated cells, whose options are only those every recurrent layer has.
protocol GatedRecurrentLayer: CoreRecurrentLayer {
    init(_ units: Int, returnSequences: Bool, returnState: Bool, bpttSteps: Int?, stateful: Bool)
}

extension GatedRecurrentLayer {
    init(config: LayerConfig) throws {
        let o = try RecurrentOptions(config)
        self.init(o.units, returnSequences: o.returnSequences, returnState: o.returnState, bpttSteps: o.bpttSteps, stateful: o.stateful)
    }

    public var config: LayerConfig { baseConfig }
}

/// Long short-term memory (the lab's §6): gates i, f, g(=C̄), o in PyTorch's order and layout.
public struct LSTM: GatedRecurrentLayer {
    var core: RecurrentCore
    public let returnSequences: Bool
    public let returnState: Bool
    public var initialState: [Tensor]?

    /// - Parameters:
    ///   - units: H, the size of h and c.
    ///   - returnSequences: output every step rather than the last.
    ///   - bpttSteps: truncate backpropagation through time to chunks of this many steps.
    ///   - stateful: start each batch from the previous batch's final states.
    public init(_ units: Int, returnSequences: Bool = false, returnState: Bool = false, bpttSteps: Int? = nil, stateful: Bool = false) {
        precondition(units > 0, "LSTM needs at least one unit")
        core = RecurrentCore(cell: .lstm, units: units, bpttSteps: bpttSteps, stateful: stateful)
        (self.returnSequences, self.returnState) = (returnSequences, returnState)
    }
}

/// Gated recurrent unit (the lab's §7), reset-after form, identical to PyTorch's `nn.GRU`.
public struct GRU: GatedRecurrentLayer {
    var core: RecurrentCore
    public let returnSequences: Bool
    public let returnState: Bool
    public var initialState: [Tensor]?

    /// - Parameters:
    ///   - units: H, the size of h.
    ///   - returnSequences: output every step rather than the last.
    ///   - bpttSteps: truncate backpropagation through time to chunks of this many steps.
    ///   - stateful: start each batch from the previous batch's final states.
    public init(_ units: Int, returnSequences: Bool = false, returnState: Bool = false, bpttSteps: Int? = nil, stateful: Bool = false) {
        precondition(units > 0, "GRU needs at least one unit")
        core = RecurrentCore(cell: .gru, units: units, bpttSteps: bpttSteps, stateful: stateful)
        (self.returnSequences, self.returnState) = (returnSequences, returnState)
    }
}
