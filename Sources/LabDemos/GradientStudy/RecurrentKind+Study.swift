import Forecast
import Recurrent

/// What the gradient studies add to the engine's cell kinds.
extension RecurrentKind {
    /// The block whose spectral radius is the headline: the candidate block that plays the
    /// role of the SimpleRNN's W_aa (LSTM g, GRU n).
    public var headlineGate: Int {
        switch self {
        case .rnn: return 0
        case .lstm: return 2
        case .gru: return 2
        }
    }

    /// `cell → Dense(1)`: the many-to-one regressor of the studies.
    public func regressor(units: Int) -> Sequential {
        Sequential(layers: [layer(units: units), Dense(1)])
    }

    /// Parses a comma-separated list such as `rnn,lstm,gru` (also `simplernn`).
    public static func parseList(_ text: String) throws -> [RecurrentKind] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !names.isEmpty, !names.contains("") else { throw ParameterError("cells", mustBe: "a comma-separated list of rnn, lstm, gru", got: "'\(text)'") }
        var cells: [RecurrentKind] = []
        for n in names {
            guard let c = RecurrentKind(rawValue: n == "simplernn" ? "rnn" : n) else {
                throw AddingProblemError("unknown cell '\(n)': expected rnn, lstm or gru")
            }
            if !cells.contains(c) { cells.append(c) }
        }
        return cells
    }

    /// Parses a comma-separated list of positive step counts such as `50,100,200`.
    public static func parseSteps(_ text: String, minimum: Int = 2) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var steps: [Int] = []
        for p in parts {
            guard let v = Int(p), v >= minimum else {
                throw ParameterError("steps", mustBe: "whole numbers ≥ \(minimum) separated by commas", got: "'\(p)' in '\(text)'")
            }
            if !steps.contains(v) { steps.append(v) }
        }
        return steps
    }
}
