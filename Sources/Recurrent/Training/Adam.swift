import RealModule

/// Adam, Keras's formulation (bias correction folded into the step size, ε not corrected):
///
///     t = iterations (counting this step)
///     α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
///     m ← m + (g − m)(1 − β₁),  v ← v + (g² − v)(1 − β₂)
///     w ← w − α·m / (√v + ε)
public struct Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public var iterations = 0
    private var m: [String: Tensor] = [:]
    private var v: [String: Tensor] = [:]

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public mutating func update(_ name: String, _ parameter: inout Parameter) {
        OptimizerMath.ensureSlot(&m, name, like: parameter)
        OptimizerMath.ensureSlot(&v, name, like: parameter)
        let t = Double(max(iterations, 1))
        let alpha = Float(Double(learningRate) * (1 - Double.pow(Double(beta2), t)).squareRoot() / (1 - Double.pow(Double(beta1), t)))
        let b1 = 1 - beta1, b2 = 1 - beta2, eps = epsilon
        var second = v.removeValue(forKey: name)!
        parameter.value.scalars.withUnsafeMutableBufferPointer { w in
            parameter.gradient.scalars.withUnsafeBufferPointer { g in
                m[name]!.scalars.withUnsafeMutableBufferPointer { mm in
                    second.scalars.withUnsafeMutableBufferPointer { vv in
                        for i in 0..<w.count {
                            mm[i] += (g[i] - mm[i]) * b1
                            vv[i] += (g[i] * g[i] - vv[i]) * b2
                            w[i] -= alpha * mm[i] / (vv[i].squareRoot() + eps)
                        }
                    }
                }
            }
        }
        v[name] = second
    }

    func state(kind: String, extra: [String: Double]) -> OptimizerState {
        OptimizerState(kind: kind, iterations: iterations, learningRate: learningRate,
                       hyperparameters: ["beta_1": Double(beta1), "beta_2": Double(beta2), "epsilon": Double(epsilon)].merging(extra) { a, _ in a },
                       slots: OptimizerState.flatten(["m": m, "v": v]))
    }

    mutating func restore(_ state: OptimizerState, kind: String) throws {
        let slots = try state.unflatten(kind: kind, known: ["m", "v"])
        m = slots["m"]!
        v = slots["v"]!
        iterations = state.iterations
        learningRate = state.learningRate
    }

    public func exportState() -> OptimizerState { state(kind: "Adam", extra: [:]) }
    public mutating func importState(_ state: OptimizerState) throws { try restore(state, kind: "Adam") }
}
