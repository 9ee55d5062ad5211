/// A forecasting wrapper around a stack of layers (the body) for windows `[B, L, F]` whose
/// feature 0 is the target history:
///
/// - `autoregressive` (an AR highway, LSTNet): `y = a(x₀) + body(…)`, where `a` is a linear
///   map of the L target values (`ar_weight [U, L]`, `ar_bias [U]`). Built as persistence
///   (weight 1 on the last value) with the body's last `Dense` at zero, so training starts
///   from a linear model; `setAutoregression` puts the least-squares solution there.
/// - `instanceNorm` (RevIN without affine terms): the body sees the target history of each
///   window as `z = (x₀ − m)/s` (its own mean and standard deviation) and its output is
///   scaled back, `s · body(z)`, plus `m` when there is no AR part.
///
/// With both off it is a plain stack (how ensembles hold members).
public struct ARHighway: Layer {
    public let autoregressive: Bool
    /// Keep the AR map where it was set (no gradient reaches it): the body learns only what
    /// the linear model misses.
    public let frozenAutoregression: Bool
    public let instanceNorm: Bool
    public private(set) var body: Sequential
    private var arParameters: [Parameter] = []
    private var lookback = 0
    private static let epsilon: Float = 1e-5
    // Caches of the last `forward`.
    private var inputCache: Tensor?
    private var meanCache: [Float] = [], scaleCache: [Float] = []
    private var bodyOutputCache: Tensor?

    /// - Parameters:
    ///   - body: the layers that see the (normalised) window; the last must output `[U]`.
    public init(autoregressive: Bool = true, frozen: Bool = false, instanceNorm: Bool = false, body: [any Layer]) {
        self.autoregressive = autoregressive
        self.frozenAutoregression = frozen
        self.instanceNorm = instanceNorm
        self.body = Sequential(layers: body)
    }

    init(config: LayerConfig) throws {
        guard let inner = config.layers, !inner.isEmpty else { throw ModelError.invalidConfiguration("ARHighway needs 'layers'") }
        self.init(autoregressive: config.autoregressive ?? true, frozen: config.frozen ?? false, instanceNorm: config.instanceNorm ?? false,
                  body: try inner.map { try LayerRegistry.makeLayer($0) })
    }

    public var config: LayerConfig {
        var c = LayerConfig(type: "ARHighway")
        c.autoregressive = autoregressive
        if frozenAutoregression { c.frozen = true }
        c.instanceNorm = instanceNorm
        c.layers = body.layers.map(\.config)
        return c
    }

    public var parameters: [Parameter] {
        get { arParameters + body.layers.enumerated().flatMap { i, l in l.parameters.map { Self.renamed($0, "body.\(i).\($0.name)") } } }
        set {
            var k = 0
            for j in arParameters.indices {
                arParameters[j].value = newValue[k].value
                arParameters[j].gradient = newValue[k].gradient
                k += 1
            }
            for i in body.layers.indices {
                var ps = body.layers[i].parameters
                for j in ps.indices {
                    ps[j].value = newValue[k].value
                    ps[j].gradient = newValue[k].gradient
                    k += 1
                }
                body.layers[i].parameters = ps
            }
        }
    }

    private static func renamed(_ p: Parameter, _ name: String) -> Parameter {
        var q = Parameter(name: name, value: p.value, isPenalized: p.isPenalized)
        q.gradient = p.gradient
        return q
    }

    public mutating func updateEachParameter(_ body: (inout Parameter) throws -> Void) rethrows {
        for j in arParameters.indices { try body(&arParameters[j]) }
        for i in self.body.layers.indices {
            try self.body.layers[i].updateEachParameter { try $0.visit(prefixed: "body.\(i).", body) }
        }
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[0] > 0, inputShape[1] > 0 else {
            throw ModelError.shapeMismatch("ARHighway needs windows [time, features], got \(inputShape)")
        }
        var shape = inputShape
        for layer in body.layers { shape = try layer.outputShape(for: shape) }
        guard shape.count == 1 || !(autoregressive || instanceNorm) else {
            throw ModelError.shapeMismatch("ARHighway's body must end in one output vector (e.g. dense:1), got \(shape)")
        }
        return shape
    }

    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {
        let out = try outputShape(for: inputShape)
        lookback = inputShape[0]
        try body.build(inputShape: inputShape, seed: rng.next())
        guard autoregressive else { arParameters = []; return }
        let units = out[0]
        var w = Tensor(shape: [units, lookback])
        for u in 0..<units { w.scalars[u * lookback + lookback - 1] = 1 }  // persistence until fitted
        arParameters = [Parameter(name: "ar_weight", value: w, isPenalized: true),
                        Parameter(name: "ar_bias", value: Tensor(shape: [units]), isPenalized: false)]
        if let last = body.layers.lastIndex(where: { $0 is Dense }) {
            body.layers[last].updateEachParameter { p in p.value.scalars = [Float](repeating: 0, count: p.value.count) }
        }
    }

    /// Sets the AR map: `weight [U, L]` (one row per output, oldest lag first), `bias [U]`.
    public mutating func setAutoregression(weight: Tensor, bias: Tensor) throws {
        guard autoregressive, arParameters.count == 2 else { throw ModelError.invalidConfiguration("this ARHighway has no AR part (or is not built)") }
        guard weight.shape == arParameters[0].value.shape, bias.shape == arParameters[1].value.shape else {
            throw ModelError.shapeMismatch("AR weight \(weight.shape) / bias \(bias.shape); expected \(arParameters[0].value.shape) / \(arParameters[1].value.shape)")
        }
        arParameters[0].value = weight
        arParameters[1].value = bias
    }

    /// Feature 0 of every step, `[B, L]`.
    private func targetHistory(_ x: Tensor) -> [Float] {
        let b = x.shape[0], l = x.shape[1], f = x.shape[2]
        var out = [Float](repeating: 0, count: b * l)
        for n in 0..<b { for t in 0..<l { out[n * l + t] = x.scalars[(n * l + t) * f] } }
        return out
    }

    /// Per-window mean and scale of the target history, and the input with it normalised.
    private func normalised(_ x: Tensor) -> (Tensor, [Float], [Float]) {
        let b = x.shape[0], l = x.shape[1], f = x.shape[2]
        var z = x, means = [Float](repeating: 0, count: b), scales = [Float](repeating: 1, count: b)
        for n in 0..<b {
            var sum: Float = 0
            for t in 0..<l { sum += x.scalars[(n * l + t) * f] }
            let m = sum / Float(l)
            var sq: Float = 0
            for t in 0..<l { let d = x.scalars[(n * l + t) * f] - m; sq += d * d }
            let s = (sq / Float(l) + Self.epsilon).squareRoot()
            means[n] = m; scales[n] = s
            for t in 0..<l { z.scalars[(n * l + t) * f] = (x.scalars[(n * l + t) * f] - m) / s }
        }
        return (z, means, scales)
    }

    /// The output from the body's output and the statistics.
    private func combine(_ x: Tensor, bodyOutput o: Tensor, means: [Float], scales: [Float]) -> Tensor {
        var y = o
        let b = x.shape[0], u = o.count / max(b, 1)
        if instanceNorm {
            for n in 0..<b { for k in 0..<u { y.scalars[n * u + k] = scales[n] * o.scalars[n * u + k] + (autoregressive ? 0 : means[n]) } }
        }
        if autoregressive {
            let h = targetHistory(x), l = x.shape[1]
            let w = arParameters[0].value.scalars, c = arParameters[1].value.scalars
            for n in 0..<b {
                for k in 0..<u {
                    var a = c[k]
                    for t in 0..<l { a += w[k * l + t] * h[n * l + t] }
                    y.scalars[n * u + k] += a
                }
            }
        }
        return y
    }

    public func infer(_ input: Tensor) -> Tensor {
        guard instanceNorm else { return combine(input, bodyOutput: body.infer(input), means: [], scales: []) }
        let (z, m, s) = normalised(input)
        return combine(input, bodyOutput: body.infer(z), means: m, scales: s)
    }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        inputCache = input
        var z = input
        if instanceNorm { (z, meanCache, scaleCache) = normalised(input) }
        let o = body.forward(z, rng: &rng)
        bodyOutputCache = o
        return combine(input, bodyOutput: o, means: meanCache, scales: scaleCache)
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        guard let x = inputCache, let o = bodyOutputCache else { preconditionFailure("ARHighway.backward without forward") }
        let g = outputGradient.scalars
        let b = x.shape[0], l = x.shape[1], f = x.shape[2], u = o.count / max(b, 1)
        var dHistory = [Float](repeating: 0, count: b * l)  // dL/d(x₀) from the AR map and the statistics
        if autoregressive {
            let h = targetHistory(x), w = arParameters[0].value.scalars
            for n in 0..<b {
                for k in 0..<u {
                    let gk = g[n * u + k]
                    if !frozenAutoregression { arParameters[1].gradient.scalars[k] += gk }
                    for t in 0..<l {
                        if !frozenAutoregression { arParameters[0].gradient.scalars[k * l + t] += gk * h[n * l + t] }
                        dHistory[n * l + t] += gk * w[k * l + t]
                    }
                }
            }
        }
        var dBody = outputGradient
        if instanceNorm { for n in 0..<b { for k in 0..<u { dBody.scalars[n * u + k] *= scaleCache[n] } } }
        var dx = body.backward(dBody)
        if instanceNorm {
            // z_t = (x_t − m)/s, s = √(var + ε): dz_t/dx_j = (δ_tj − 1/L)/s − z_t (x_j − m)/(L s²);
            // the output's own s·o (+ m) adds ∂y/∂s = o and ∂y/∂m = 1 (without AR).
            for n in 0..<b {
                let m = meanCache[n], s = scaleCache[n]
                var sumGz: Float = 0, sumGzZ: Float = 0, gScale: Float = 0, gMean: Float = 0
                for t in 0..<l {
                    let gz = dx.scalars[(n * l + t) * f]
                    sumGz += gz
                    sumGzZ += gz * (x.scalars[(n * l + t) * f] - m) / s
                }
                for k in 0..<u {
                    gScale += g[n * u + k] * o.scalars[n * u + k]
                    if !autoregressive { gMean += g[n * u + k] }
                }
                for j in 0..<l {
                    let i = (n * l + j) * f
                    let centred = (x.scalars[i] - m) / (Float(l) * s)
                    let viaZ = (dx.scalars[i] - sumGz / Float(l)) / s - sumGzZ / s * centred
                    dx.scalars[i] = viaZ + gScale * centred + gMean / Float(l)
                }
            }
        }
        for n in 0..<b { for t in 0..<l { dx.scalars[(n * l + t) * f] += dHistory[n * l + t] } }
        return dx
    }
}
