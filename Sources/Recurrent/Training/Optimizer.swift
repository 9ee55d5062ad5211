/// A first-order optimizer: turns accumulated gradients into parameter updates.
///
/// Optimizers are value types. Their per-parameter state (momentum, moment estimates) is
/// keyed by the parameter's qualified name (`layers.0.weight_ih_l0`), never by position, and
/// can be exported and imported as named tensors so a checkpoint resumes training exactly.
///
/// `step(_:)` counts one iteration and calls `update(_:_:)` for every parameter.
public protocol Optimizer: Sendable {
    /// The step size; schedules set it before each epoch.
    var learningRate: Float { get set }
    /// Completed steps (Keras `iterations`); Adam's bias correction uses it.
    var iterations: Int { get set }
    /// Updates one parameter from its gradient. `iterations` already counts this step.
    mutating func update(_ name: String, _ parameter: inout Parameter)
    /// A snapshot of everything needed to continue exactly: slots, step count, rate.
    func exportState() -> OptimizerState
    /// Restores a snapshot from `exportState()` of the same kind of optimizer.
    mutating func importState(_ state: OptimizerState) throws
}

extension Optimizer {
    /// Applies one update to every parameter of `model` (a `Sequential`, an
    /// `EncoderDecoder`, …) from its current gradients.
    public mutating func step(_ model: inout some ParameterContainer) {
        iterations += 1
        model.updateParameters { name, parameter in self.update(name, &parameter) }
    }
}

/// An optimizer's resumable state: named tensors plus the step count.
///
/// Slot keys are `"{qualified parameter name}/{slot}"`, e.g. `layers.0.weight_ih_l0/m`.
public struct OptimizerState: Sendable, Equatable {
    /// `SGD`, `RMSprop`, `Adam` or `AdamW`.
    public var kind: String
    public var iterations: Int
    public var learningRate: Float
    /// The constructor's settings, for the record (importing does not change them).
    public var hyperparameters: [String: Double]
    /// Per-parameter slots keyed `"{parameter}/{slot}"`.
    public var slots: [String: Tensor]

    public init(kind: String, iterations: Int, learningRate: Float, hyperparameters: [String: Double] = [:], slots: [String: Tensor] = [:]) {
        self.kind = kind
        self.iterations = iterations
        self.learningRate = learningRate
        self.hyperparameters = hyperparameters
        self.slots = slots
    }

    /// Checks that every slot names a parameter of `model` and has its shape.
    public func validate(for model: some ParameterContainer) throws {
        let shapes = Dictionary(model.namedParameters.map { ($0.name, $0.parameter.value.shape) }, uniquingKeysWith: { a, _ in a })
        for (key, tensor) in slots {
            let (name, _) = try OptimizerState.split(key)
            guard let shape = shapes[name] else {
                throw ModelError.unknownParameter("optimizer state '\(key)' names no parameter of the model")
            }
            guard shape == tensor.shape else {
                throw ModelError.shapeMismatch("optimizer state '\(key)' has shape \(tensor.shape); the parameter has \(shape)")
            }
        }
    }

    /// `"{parameter}/{slot}"` → (parameter, slot).
    static func split(_ key: String) throws -> (parameter: String, slot: String) {
        guard let cut = key.lastIndex(of: "/") else {
            throw ModelError.invalidConfiguration("optimizer state key '\(key)' is not 'parameter/slot'")
        }
        return (String(key[..<cut]), String(key[key.index(after: cut)...]))
    }

    /// Flattens `slot → parameter → tensor` maps into keyed slots.
    static func flatten(_ slots: [String: [String: Tensor]]) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (slot, byName) in slots { for (name, t) in byName { out["\(name)/\(slot)"] = t } }
        return out
    }

    /// Splits keyed slots back into `slot → parameter → tensor`, accepting only `known` slots.
    func unflatten(kind expected: String, known: Set<String>) throws -> [String: [String: Tensor]] {
        guard kind == expected else {
            throw ModelError.invalidConfiguration("optimizer state is for \(kind), not \(expected)")
        }
        guard iterations >= 0 else { throw ModelError.invalidConfiguration("optimizer state has negative iterations") }
        var out: [String: [String: Tensor]] = [:]
        for slot in known { out[slot] = [:] }
        for (key, t) in slots {
            let (name, slot) = try OptimizerState.split(key)
            guard known.contains(slot) else {
                throw ModelError.invalidConfiguration("\(expected) has no state '\(slot)' (in '\(key)'; known: \(known.sorted().joined(separator: ", ")))")
            }
            out[slot]![name] = t
        }
        return out
    }
}

/// Helpers shared by the optimizers: in-place element loops over a parameter and its slots.
enum OptimizerMath {
    /// The slot for `name`, created as zeros shaped like `parameter` on first use.
    static func ensureSlot(_ slots: inout [String: Tensor], _ name: String, like parameter: Parameter) {
        if let s = slots[name] {
            precondition(s.shape == parameter.value.shape,
                         "optimizer state for \(name) has shape \(s.shape), the parameter \(parameter.value.shape)")
        } else {
            slots[name] = Tensor(shape: parameter.value.shape)
        }
    }
}
