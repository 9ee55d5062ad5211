import CKernels

/// The step function of a recurrent layer: which gates, which states, which C kernel.
public enum RecurrentCell: Sendable, Equatable {
    /// The lab's a_t = g(W_aa a_{t−1} + W_ax x_t + b_a), g = tanh or relu.
    case simple(Activation)
    /// Gates i, f, g, o (PyTorch order); states h and c.
    case lstm
    /// Gates r, z, n with the reset applied after the recurrent product (PyTorch, Keras default).
    case gru

    /// G: gate blocks in the weight matrices.
    public var gateCount: Int {
        switch self {
        case .simple: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }

    /// 2 for LSTM (h, c), else 1.
    public var stateCount: Int { self == .lstm ? 2 : 1 }

    var typeName: String {
        switch self {
        case .simple: return "SimpleRNN"
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        }
    }

    var activationCode: Int32 {
        if case .simple(let a) = self, a == .relu { return 1 }
        return 0
    }
}
