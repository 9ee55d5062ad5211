/// Stochastic gradient descent with optional (Nesterov) momentum, Keras's formulas:
///
///     v ← momentum·v − lr·g
///     w ← w + v                      (classical)
///     w ← w + momentum·v − lr·g      (Nesterov)
///
/// Without momentum, `w ← w − lr·g` and no state is kept.
public struct SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public var iterations = 0
    private var velocity: [String: Tensor] = [:]

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false) {
        precondition(momentum >= 0 && momentum < 1, "SGD momentum must be in [0, 1)")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
    }

    public mutating func update(_ name: String, _ parameter: inout Parameter) {
        let lr = learningRate, mu = momentum
        if mu == 0 {
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                parameter.gradient.scalars.withUnsafeBufferPointer { g in
                    for i in 0..<w.count { w[i] -= lr * g[i] }
                }
            }
            return
        }
        OptimizerMath.ensureSlot(&velocity, name, like: parameter)
        let nesterov = self.nesterov
        parameter.value.scalars.withUnsafeMutableBufferPointer { w in
            parameter.gradient.scalars.withUnsafeBufferPointer { g in
                velocity[name]!.scalars.withUnsafeMutableBufferPointer { v in
                    for i in 0..<w.count {
                        v[i] = mu * v[i] - lr * g[i]
                        w[i] += nesterov ? mu * v[i] - lr * g[i] : v[i]
                    }
                }
            }
        }
    }

    public func exportState() -> OptimizerState {
        OptimizerState(kind: "SGD", iterations: iterations, learningRate: learningRate,
                       hyperparameters: ["momentum": Double(momentum), "nesterov": nesterov ? 1 : 0],
                       slots: OptimizerState.flatten(["velocity": velocity]))
    }

    public mutating func importState(_ state: OptimizerState) throws {
        let slots = try state.unflatten(kind: "SGD", known: ["velocity"])
        velocity = slots["velocity"]!
        iterations = state.iterations
        learningRate = state.learningRate
    }
}
