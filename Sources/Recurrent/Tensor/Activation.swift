import RealModule
/// Element-wise (or, for softmax, row-wise) activation functions of Dense and SimpleRNN layers.
public enum Activation: String, Codable, Sendable, CaseIterable {
    case linear, tanh, sigmoid, relu, softmax

    /// Applies the activation to rows of length `width` in place.
    func apply(_ values: inout [Float], width: Int) {
        switch self {
        case .linear: break
        case .tanh: for i in values.indices { values[i] = Float.tanh(values[i]) }
        case .sigmoid: for i in values.indices { values[i] = 1 / (1 + Float.exp(-values[i])) }
        case .relu: for i in values.indices where values[i] < 0 { values[i] = 0 }
        case .softmax:
            let rows = values.count / max(width, 1)
            for r in 0..<rows {
                let base = r * width
                var maxValue = -Float.infinity
                for j in 0..<width { maxValue = max(maxValue, values[base + j]) }
                var sum: Float = 0
                for j in 0..<width {
                    let e = Float.exp(values[base + j] - maxValue)
                    values[base + j] = e
                    sum += e
                }
                for j in 0..<width { values[base + j] /= sum }
            }
        }
    }

    /// Turns dL/dy into dL/dx in place, given the activation's output y (rows of `width`).
    func backward(_ gradient: inout [Float], output y: [Float], width: Int) {
        switch self {
        case .linear: break
        case .tanh: for i in gradient.indices { gradient[i] *= 1 - y[i] * y[i] }
        case .sigmoid: for i in gradient.indices { gradient[i] *= y[i] * (1 - y[i]) }
        case .relu: for i in gradient.indices where y[i] <= 0 { gradient[i] = 0 }
        case .softmax:
            // dx_j = y_j (dy_j − Σ_k dy_k y_k): the softmax Jacobian applied to dy.
            let rows = gradient.count / max(width, 1)
            for r in 0..<rows {
                let base = r * width
                var dot: Float = 0
                for j in 0..<width { dot += gradient[base + j] * y[base + j] }
                for j in 0..<width { gradient[base + j] = y[base + j] * (gradient[base + j] - dot) }
            }
        }
    }
}

