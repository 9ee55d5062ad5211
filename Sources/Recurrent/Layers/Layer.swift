/// One trainable tensor of a layer, with its gradient, under PyTorch's name.
public struct Parameter: Sendable {
    /// PyTorch's name for the tensor inside its layer, e.g. `weight_ih_l0` or `bias`.
    public let name: String
    /// The current value, in PyTorch's layout.
    public var value: Tensor
    /// dL/d(value), accumulated by `backward` until `zeroGradients()`.
    public var gradient: Tensor
    /// Whether weight penalties (L2) apply; false for biases.
    public let isPenalized: Bool

    public init(name: String, value: Tensor, isPenalized: Bool) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.isPenalized = isPenalized
    }
}

/// A layer of a `Sequential` model: an explicit forward and a hand-written backward pass.
///
/// Inputs are batch-first: `[B, F]` or `[B, T, F]`. `forward` keeps exactly the caches that
/// `backward` needs; `infer` keeps none. Gradients are accumulated (`+=`) into
/// `parameters[i].gradient`.
public protocol Layer: Sendable {
    /// The architecture description stored in model files.
    var config: LayerConfig { get }
    /// The trainable tensors (empty before `build`).
    var parameters: [Parameter] { get set }
    /// Output shape without the batch dimension, for an input shape without it.
    func outputShape(for inputShape: [Int]) throws -> [Int]
    /// Creates and initialises the parameters for inputs of `inputShape` (no batch dimension).
    mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws
    /// Inference: no caches kept, dropout off.
    func infer(_ input: Tensor) -> Tensor
    /// Training forward pass: keeps caches for `backward`; dropout draws from `rng`.
    mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor
    /// Given dL/d(output) of the last `forward`, accumulates parameter gradients and
    /// returns dL/d(input).
    mutating func backward(_ outputGradient: Tensor) -> Tensor
    /// Visits every parameter in place (optimizers, clipping, penalties). The default works
    /// on `parameters`; layers whose `parameters` is computed override it so no weight or
    /// gradient is copied.
    mutating func updateEachParameter(_ body: (inout Parameter) throws -> Void) rethrows
    /// Drops what the last `forward` kept for `backward` (a trained model needs none of it).
    /// The default keeps nothing to drop.
    mutating func releaseTrainingCaches()
}

extension Layer {
    public mutating func updateEachParameter(_ body: (inout Parameter) throws -> Void) rethrows {
        for j in parameters.indices { try body(&parameters[j]) }
    }

    public mutating func releaseTrainingCaches() {}

    /// Sets every parameter gradient to zero.
    public mutating func zeroGradients() {
        updateEachParameter { $0.gradient.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// Errors raised while assembling or running a model.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(String)
    case notBuilt
    case invalidConfiguration(String)
    case unknownParameter(String)
    case nonFinite(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        case .notBuilt: return "the model has not been built: call build(inputShape:seed:) or fit first"
        case .invalidConfiguration(let s): return "invalid configuration: \(s)"
        case .unknownParameter(let s): return "unknown parameter: \(s)"
        case .nonFinite(let s): return s
        }
    }
}

extension Parameter {
    /// Runs `body` on this parameter under a qualified name (`prefix` + its own), as a wrapper
    /// layer presents its inner layers' parameters. Value and gradient are swapped, not copied.
    mutating func visit(prefixed prefix: String, _ body: (inout Parameter) throws -> Void) rethrows {
        var q = Parameter(name: prefix + name, value: Tensor(shape: [0]), isPenalized: isPenalized)
        swap(&q.value, &value)
        swap(&q.gradient, &gradient)
        defer {
            swap(&q.value, &value)
            swap(&q.gradient, &gradient)
        }
        try body(&q)
    }
}
