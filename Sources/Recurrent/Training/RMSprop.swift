/// RMSprop, Keras's formula (ε inside the square root):
///
///     s ← ρ·s + (1 − ρ)·g²
///     (centered) ḡ ← ρ·ḡ + (1 − ρ)·g,  d = s − ḡ² + ε;  otherwise d = s + ε
///     Δ = lr·g / √d
///     (momentum) m ← μ·m + Δ, w ← w − m;  otherwise w ← w − Δ
public struct RMSprop: Optimizer {
    public var learningRate: Float
    public let rho: Float
    public let momentum: Float
    public let epsilon: Float
    public let centered: Bool
    public var iterations = 0
    private var velocity: [String: Tensor] = [:]
    private var averageGradient: [String: Tensor] = [:]
    private var momenta: [String: Tensor] = [:]

    public init(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-7, centered: Bool = false) {
        precondition(rho >= 0 && rho < 1, "RMSprop rho must be in [0, 1)")
        precondition(momentum >= 0 && momentum < 1, "RMSprop momentum must be in [0, 1)")
        self.learningRate = learningRate
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
    }

    public mutating func update(_ name: String, _ parameter: inout Parameter) {
        let lr = learningRate, rho = self.rho, mu = momentum, eps = epsilon, centered = self.centered
        OptimizerMath.ensureSlot(&velocity, name, like: parameter)
        if centered { OptimizerMath.ensureSlot(&averageGradient, name, like: parameter) }
        if mu > 0 { OptimizerMath.ensureSlot(&momenta, name, like: parameter) }
        var avg = centered ? averageGradient.removeValue(forKey: name)! : Tensor(shape: [0])
        var mom = mu > 0 ? momenta.removeValue(forKey: name)! : Tensor(shape: [0])
        parameter.value.scalars.withUnsafeMutableBufferPointer { w in
            parameter.gradient.scalars.withUnsafeBufferPointer { g in
                velocity[name]!.scalars.withUnsafeMutableBufferPointer { s in
                    avg.scalars.withUnsafeMutableBufferPointer { a in
                        mom.scalars.withUnsafeMutableBufferPointer { m in
                            for i in 0..<w.count {
                                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i]
                                var d = s[i] + eps
                                if centered {
                                    a[i] = rho * a[i] + (1 - rho) * g[i]
                                    d = s[i] - a[i] * a[i] + eps
                                }
                                let delta = lr * g[i] / d.squareRoot()
                                if mu > 0 {
                                    m[i] = mu * m[i] + delta
                                    w[i] -= m[i]
                                } else {
                                    w[i] -= delta
                                }
                            }
                        }
                    }
                }
            }
        }
        if centered { averageGradient[name] = avg }
        if mu > 0 { momenta[name] = mom }
    }

    public func exportState() -> OptimizerState {
        OptimizerState(kind: "RMSprop", iterations: iterations, learningRate: learningRate,
                       hyperparameters: ["rho": Double(rho), "momentum": Double(momentum), "epsilon": Double(epsilon), "centered": centered ? 1 : 0],
                       slots: OptimizerState.flatten(["velocity": velocity, "average_gradient": averageGradient, "momentum": momenta]))
    }

    public mutating func importState(_ state: OptimizerState) throws {
        let slots = try state.unflatten(kind: "RMSprop", known: ["velocity", "average_gradient", "momentum"])
        velocity = slots["velocity"]!
        averageGradient = slots["average_gradient"]!
        momenta = slots["momentum"]!
        iterations = state.iterations
        learningRate = state.learningRate
    }
}
