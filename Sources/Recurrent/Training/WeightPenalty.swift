extension ParameterContainer {
    /// Adds the L2 penalty `λ Σ w²` over penalized parameters (weights, not biases) to the
    /// gradients (`2λw`).
    /// - Returns: the penalty, to add to the reported loss.
    @discardableResult
    public mutating func addL2Penalty(_ lambda: Float) -> Double {
        guard lambda != 0 else { return 0 }
        var penalty = 0.0
        updateParameters { _, p in
            guard p.isPenalized else { return }
            penalty += p.value.squaredNorm
            let twoLambda = 2 * lambda
            p.value.scalars.withUnsafeBufferPointer { w in
                p.gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in 0..<g.count { g[i] += twoLambda * w[i] }
                }
            }
        }
        return Double(lambda) * penalty
    }

    /// The L2 penalty `λ Σ w²` over penalized parameters, without touching gradients.
    public func l2Penalty(_ lambda: Float) -> Double {
        guard lambda != 0 else { return 0 }
        return Double(lambda) * namedParameters.reduce(0.0) { $1.parameter.isPenalized ? $0 + $1.parameter.value.squaredNorm : $0 }
    }
}
