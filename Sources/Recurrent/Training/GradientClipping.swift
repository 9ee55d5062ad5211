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

extension Tensor {
    /// Σ x² accumulated in Double.
    var squaredNorm: Double {
        scalars.withUnsafeBufferPointer { b in b.reduce(0.0) { $0 + Double($1) * Double($1) } }
    }

    /// Multiplies every element by `s` in place.
    mutating func scale(by s: Float) {
        scalars.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= s } }
    }
}

extension ParameterContainer {
    /// √(Σ g²) over every parameter gradient, accumulated in Double.
    public var gradientGlobalNorm: Double {
        namedParameters.reduce(0.0) { $0 + $1.parameter.gradient.squaredNorm }.squareRoot()
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
                let n = p.gradient.squaredNorm.squareRoot()
                if n > Double(c) { p.gradient.scale(by: Float(Double(c) / n)) }
            }
        case .globalNorm:
            if global > Double(c) {
                let s = Float(Double(c) / global)
                updateParameters { _, p in p.gradient.scale(by: s) }
            }
        }
        return global
    }
}
