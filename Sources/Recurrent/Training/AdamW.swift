/// Adam with decoupled weight decay (Keras `AdamW`): before the Adam step, every penalized
/// parameter (weights, not biases: `Parameter.isPenalized`) shrinks by `w ← w − lr·λ·w`.
public struct AdamW: Optimizer {
    private var adam: Adam
    /// λ, the decoupled decay per unit learning rate (Keras default 0.004).
    public let weightDecay: Float

    public init(learningRate: Float = 0.001, weightDecay: Float = 0.004, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        precondition(weightDecay >= 0, "AdamW weight decay must be non-negative")
        adam = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.weightDecay = weightDecay
    }

    public var learningRate: Float {
        get { adam.learningRate }
        set { adam.learningRate = newValue }
    }

    public var iterations: Int {
        get { adam.iterations }
        set { adam.iterations = newValue }
    }

    public mutating func update(_ name: String, _ parameter: inout Parameter) {
        if parameter.isPenalized && weightDecay > 0 {
            let shrink = learningRate * weightDecay
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] -= w[i] * shrink }
            }
        }
        adam.update(name, &parameter)
    }

    public func exportState() -> OptimizerState { adam.state(kind: "AdamW", extra: ["weight_decay": Double(weightDecay)]) }
    public mutating func importState(_ state: OptimizerState) throws { try adam.restore(state, kind: "AdamW") }
}
