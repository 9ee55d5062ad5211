import CKernels

/// Causal 1-D convolution over time: `y_t = act(b + Σ_k W[:, :, k] · x_{t − (K−1−k)·d})`, with
/// zeros before the first step, so y_t never sees the future (Keras `padding="causal"`).
///
/// PyTorch's `nn.Conv1d` layout: `weight [filters, F, K]`, `bias [filters]`.
/// Input `[B, T, F]`, output `[B, T, filters]`. Computed as one product over an unfolded
/// input (im2col), so forward and backward are each a matrix multiply.
public struct Conv1D: Layer {
    public let filters: Int
    public let kernelSize: Int
    public let dilation: Int
    public let activation: Activation
    public var parameters: [Parameter] = []
    private var columnsCache: [Float] = []
    private var outputCache: [Float] = []
    private var inputShapeCache: [Int] = []

    /// - Parameters:
    ///   - filters: output channels.
    ///   - kernelSize: K, taps per filter.
    ///   - dilation: d, the spacing between taps.
    ///   - activation: applied to the output.
    public init(filters: Int, kernelSize: Int, dilation: Int = 1, activation: Activation = .linear) {
        precondition(filters > 0 && kernelSize > 0 && dilation > 0, "Conv1D sizes must be positive")
        precondition(activation != .softmax, "Conv1D does not take softmax")
        self.filters = filters
        self.kernelSize = kernelSize
        self.dilation = dilation
        self.activation = activation
    }

    init(config: LayerConfig) throws {
        let f = try config.require(config.filters, "filters"), k = try config.require(config.kernelSize, "kernel_size")
        let d = config.dilation ?? 1
        guard f > 0, k > 0, d > 0 else { throw ModelError.invalidConfiguration("Conv1D filters, kernel_size and dilation must be positive") }
        let a = config.activation ?? .linear
        guard a != .softmax else { throw ModelError.invalidConfiguration("Conv1D does not take softmax") }
        self.init(filters: f, kernelSize: k, dilation: d, activation: a)
    }

    public var config: LayerConfig {
        var c = LayerConfig(type: "Conv1D")
        c.filters = filters
        c.kernelSize = kernelSize
        if dilation != 1 { c.dilation = dilation }
        c.activation = activation
        return c
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] > 0 else {
            throw ModelError.shapeMismatch("Conv1D needs input [time, features], got \(inputShape)")
        }
        return [inputShape[0], filters]
    }

    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {
        _ = try outputShape(for: inputShape)
        let f = inputShape[1]
        // Keras: Glorot uniform with fan_in = K·F, fan_out = K·filters.
        parameters = [
            Parameter(name: "weight", value: Initializers.glorotUniform(shape: [filters, f, kernelSize], fanIn: kernelSize * f, fanOut: kernelSize * filters, rng: &rng), isPenalized: true),
            Parameter(name: "bias", value: Tensor(shape: [filters]), isPenalized: false),
        ]
    }

    private var features: Int { parameters[0].value.shape[1] }

    /// Unfolds `[B, T, F]` into rows `[B·T, F·K]`; entry (f, k) of row (b, t) is
    /// x[b, t − (K−1−k)·d, f], or 0 before the start.
    private func columns(_ x: Tensor) -> [Float] {
        let b = x.shape[0], t = x.shape[1], f = x.shape[2], k = kernelSize
        var cols = [Float](repeating: 0, count: b * t * f * k)
        for bi in 0..<b {
            for step in 0..<t {
                let row = (bi * t + step) * f * k
                for tap in 0..<k {
                    let source = step - (k - 1 - tap) * dilation
                    guard source >= 0 else { continue }
                    let base = (bi * t + source) * f
                    for c in 0..<f { cols[row + c * k + tap] = x.scalars[base + c] }
                }
            }
        }
        return cols
    }

    private func convolve(_ cols: [Float], rows: Int) -> [Float] {
        let width = features * kernelSize
        var y = [Float](repeating: 0, count: rows * filters)
        cols.withPointer { c in
            parameters[0].value.scalars.withPointer { w in
                y.withMutablePointer { out in
                    Kernels.gemm(transB: true, m: rows, n: filters, k: width, a: c, lda: width, b: w, ldb: width, c: out, ldc: filters)
                    parameters[1].value.scalars.withPointer { rk_add_bias_rows(out, Int32(rows), Int32(filters), Int32(filters), $0) }
                }
            }
        }
        activation.apply(&y, width: filters)
        return y
    }

    public func infer(_ input: Tensor) -> Tensor {
        precondition(input.rank == 3 && input.shape[2] == features, "Conv1D expects [batch, time, \(features)], got \(input.shape)")
        let rows = input.shape[0] * input.shape[1]
        return Tensor(shape: [input.shape[0], input.shape[1], filters], scalars: convolve(columns(input), rows: rows))
    }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        precondition(input.rank == 3 && input.shape[2] == features, "Conv1D expects [batch, time, \(features)], got \(input.shape)")
        let rows = input.shape[0] * input.shape[1]
        columnsCache = columns(input)
        outputCache = convolve(columnsCache, rows: rows)
        inputShapeCache = input.shape
        return Tensor(shape: [input.shape[0], input.shape[1], filters], scalars: outputCache)
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        let b = inputShapeCache[0], t = inputShapeCache[1], f = features, k = kernelSize
        let rows = b * t, width = f * k
        var dy = outputGradient.scalars
        activation.backward(&dy, output: outputCache, width: filters)
        var dcols = [Float](repeating: 0, count: rows * width)
        dy.withPointer { g in
            columnsCache.withPointer { c in
                parameters[0].gradient.scalars.withMutablePointer { dw in
                    Kernels.gemm(transA: true, m: filters, n: width, k: rows, a: g, lda: filters, b: c, ldb: width, beta: 1, c: dw, ldc: width)
                }
            }
            parameters[1].gradient.scalars.withMutablePointer { rk_accumulate_column_sums(g, Int32(rows), Int32(filters), Int32(filters), $0) }
            parameters[0].value.scalars.withPointer { w in
                dcols.withMutablePointer { Kernels.gemm(m: rows, n: width, k: filters, a: g, lda: filters, b: w, ldb: width, c: $0, ldc: width) }
            }
        }
        // Fold the column gradients back onto the input positions they were read from.
        var dx = [Float](repeating: 0, count: b * t * f)
        for bi in 0..<b {
            for step in 0..<t {
                let row = (bi * t + step) * width
                for tap in 0..<k {
                    let source = step - (k - 1 - tap) * dilation
                    guard source >= 0 else { continue }
                    let base = (bi * t + source) * f
                    for c in 0..<f { dx[base + c] += dcols[row + c * k + tap] }
                }
            }
        }
        return Tensor(shape: inputShapeCache, scalars: dx)
    }
}
