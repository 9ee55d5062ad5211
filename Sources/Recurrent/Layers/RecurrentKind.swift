/// The three recurrent layer kinds by the names specs, benchmarks, studies and the CLI use
/// (`rnn`, `lstm`, `gru`): one enum for every place that chooses a cell by name.
public enum RecurrentKind: String, CaseIterable, Codable, Sendable {
    case rnn, lstm, gru

    /// The step function (SimpleRNN with tanh for `rnn`).
    public var cell: RecurrentCell {
        switch self {
        case .rnn: return .simple(.tanh)
        case .lstm: return .lstm
        case .gru: return .gru
        }
    }

    /// `SimpleRNN(tanh)`, `LSTM`, `GRU`.
    public var displayName: String {
        switch self {
        case .rnn: return "SimpleRNN(tanh)"
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        }
    }

    /// Gate names of the weight matrices' blocks, in PyTorch's order.
    public var gateNames: [String] {
        switch self {
        case .rnn: return ["h"]
        case .lstm: return ["i", "f", "g", "o"]
        case .gru: return ["r", "z", "n"]
        }
    }

    /// A recurrent layer of this kind with `units` hidden units.
    public func layer(units: Int, returnSequences: Bool = false) -> any RecurrentLayer {
        switch self {
        case .rnn: return SimpleRNN(units, returnSequences: returnSequences)
        case .lstm: return LSTM(units, returnSequences: returnSequences)
        case .gru: return GRU(units, returnSequences: returnSequences)
        }
    }
}
