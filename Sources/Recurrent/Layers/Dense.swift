import CKernels

/// A fully connected layer, `y = act(x Wᵀ + b)`, with PyTorch's `weight [out, in]`, `bias [out]`.
///
/// On a sequence `[B, T, F]` it is applied at every time step (a many-to-many head).
public struct Dense: Layer {
    public let units: Int
    public let activation: Activation
    public var parameters: [Parameter] = []
    private var inputCache: Tensor?
    private var outputCache: [Float] = []

    /// - Parameters:
    ///   - units: output features.
    ///   - activation: applied to the affine map (softmax over the output features).
    public init(_ units: Int, activation: Activation = .linear) {
        precondition(units > 0, "Dense needs at least one unit")
        self.units = units
        self.activation = activation
    }

    init(config: LayerConfig) throws {
        let units = try config.require(config.units, "units")
        guard units > 0 else { throw ModelError.invalidConfiguration("Dense units must be positive") }
        self.init(units, activation: config.activation ?? .linear)
    }

    public var config: LayerConfig {
        var c = LayerConfig(type: "Dense")
        c.units = units
        c.activation = activation
        return c
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard let last = inputShape.last, !inputShape.isEmpty, last > 0 else {
            throw ModelError.shapeMismatch("Dense needs features in the last axis, got \(inputShape)")
        }
        return inputShape.dropLast() + [units]
    }

    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {
        let fanIn = try outputShape(for: inputShape).isEmpty ? 0 : inputShape.last!
        parameters = [
            Parameter(name: "weight", value: Initializers.glorotUniform(shape: [units, fanIn], fanIn: fanIn, fanOut: units, rng: &rng), isPenalized: true),
            Parameter(name: "bias", value: Tensor(shape: [units]), isPenalized: false),
        ]
    }

    public func infer(_ input: Tensor) -> Tensor { affine(input).output }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        let result = affine(input)
        inputCache = input
        outputCache = result.output.scalars
        return result.output
    }

    private func affine(_ input: Tensor) -> (output: Tensor, rows: Int) {
        let fanIn = input.shape.last!
        precondition(fanIn == parameters[0].value.shape[1], "Dense expects \(parameters[0].value.shape[1]) features, got \(fanIn)")
        let rows = input.count / fanIn
        var y = [Float](repeating: 0, count: rows * units)
        input.scalars.withPointer { x in
            parameters[0].value.scalars.withPointer { w in
                y.withMutablePointer { out in
                    Kernels.gemm(transB: true, m: rows, n: units, k: fanIn, a: x, lda: fanIn, b: w, ldb: fanIn, c: out, ldc: units)
                    parameters[1].value.scalars.withPointer { rk_add_bias_rows(out, Int32(rows), Int32(units), Int32(units), $0) }
                }
            }
        }
        activation.apply(&y, width: units)
        return (Tensor(shape: input.shape.dropLast() + [units], scalars: y), rows)
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = inputCache else { preconditionFailure("Dense.backward without forward") }
        let fanIn = input.shape.last!
        let rows = input.count / fanIn
        var dy = outputGradient.scalars
        activation.backward(&dy, output: outputCache, width: units)
        var dx = [Float](repeating: 0, count: input.count)
        dy.withPointer { g in
            input.scalars.withPointer { x in
                // dW += dYᵀ X, db += Σ_rows dY, dX = dY W
                parameters[0].gradient.scalars.withMutablePointer { dw in
                    Kernels.gemm(transA: true, m: units, n: fanIn, k: rows, a: g, lda: units, b: x, ldb: fanIn, beta: 1, c: dw, ldc: fanIn)
                }
                parameters[1].gradient.scalars.withMutablePointer { rk_accumulate_column_sums(g, Int32(rows), Int32(units), Int32(units), $0) }
                parameters[0].value.scalars.withPointer { w in
                    dx.withMutablePointer { Kernels.gemm(m: rows, n: fanIn, k: units, a: g, lda: units, b: w, ldb: fanIn, c: $0, ldc: fanIn) }
                }
            }
        }
        return Tensor(shape: input.shape, scalars: dx)
    }
}
