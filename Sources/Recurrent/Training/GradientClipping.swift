/// How gradients are limited before the optimizer step.
public enum GradientClipping: Sendable, Equatable {
    /// Each element into `[−limit, limit]` (Keras `clipvalue`).
    case value(Float)
    /// Each tensor rescaled so its L2 norm is at most `limit` (Keras `clipnorm`).
    case norm(Float)
    /// All tensors rescaled together so their joint L2 norm is at most `limit`
    /// (Keras `global_clipnorm`, PyTorch `clip_grad_norm_`).
    case globalNorm(Float)

    /// The limit, which must be positive.
    public var limit: Float {
        switch self {
        case .value(let c), .norm(let c), .globalNorm(let c): return c
        }
    }
}

extension Sequential {
    /// √(Σ g²) over every parameter gradient, accumulated in Double.
    public var gradientGlobalNorm: Double {
        layers.reduce(0.0) { acc, layer in
            layer.parameters.reduce(acc) { $0 + Self.squaredNorm($1.gradient) }
        }.squareRoot()
    }

    static func squaredNorm(_ t: Tensor) -> Double {
        t.scalars.withUnsafeBufferPointer { b in b.reduce(0.0) { $0 + Double($1) * Double($1) } }
    }

    /// Clips the accumulated gradients in place.
    /// - Returns: the global gradient norm before clipping.
    @discardableResult
    public mutating func clipGradients(_ clipping: GradientClipping?) -> Double {
        let global = gradientGlobalNorm
        guard let clipping else { return global }
        let c = clipping.limit
        switch clipping {
        case .value:
            updateParameters { _, p in
                p.gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in 0..<g.count { g[i] = min(max(g[i], -c), c) }
                }
            }
        case .norm:
            updateParameters { _, p in
                let n = Self.squaredNorm(p.gradient).squareRoot()
                if n > Double(c) { Self.scale(&p.gradient, by: Float(Double(c) / n)) }
            }
        case .globalNorm:
            if global > Double(c) {
                let s = Float(Double(c) / global)
                updateParameters { _, p in Self.scale(&p.gradient, by: s) }
            }
        }
        return global
    }

    static func scale(_ t: inout Tensor, by s: Float) {
        t.scalars.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= s } }
    }
}
