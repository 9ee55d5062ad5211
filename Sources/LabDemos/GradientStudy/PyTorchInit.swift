import Forecast
import Recurrent

/// How the weights of a study model are initialised before the at-initialisation measurement.
public enum InitScheme: String, CaseIterable, Sendable {
    /// Our layers' own `build`: Glorot-uniform input kernels, orthogonal recurrent kernels,
    /// zero biases, LSTM forget-gate bias 1 (Keras's defaults).
    case keras
    /// PyTorch's default for `nn.RNN/LSTM/GRU`: every weight and bias U(−1/√H, 1/√H).
    case pytorch

    /// `Keras init`, `PyTorch init`.
    public var displayName: String {
        switch self {
        case .keras: return "Keras init"
        case .pytorch: return "PyTorch init"
        }
    }

    /// Parses `keras`, `pytorch` or `both`.
    public static func parse(_ text: String) throws -> [InitScheme] {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "keras": return [.keras]
        case "pytorch", "torch": return [.pytorch]
        case "both": return [.keras, .pytorch]
        default: throw ParameterError("initSchemes", mustBe: "keras, pytorch or both", got: "'\(text)'")
        }
    }
}

/// PyTorch's default initialisation applied to a built model.
public enum PyTorchInit {
    /// Overwrites every parameter of `model` with U(−1/√H, 1/√H) drawn from `rng`, in the order of
    /// `namedParameters`. H is the hidden size of the recurrent layer; for the studies'
    /// `cell(H) → Dense(1)` this is also `nn.Linear`'s default bound 1/√fan_in for the Dense layer.
    public static func apply(to model: inout Sequential, hiddenSize: Int, rng: inout SeededGenerator) {
        precondition(hiddenSize > 0, "hidden size must be positive")
        let bound = 1 / Float(hiddenSize).squareRoot()
        model.updateParameters { _, p in
            for i in p.value.scalars.indices { p.value.scalars[i] = rng.nextUniform(-bound, bound) }
        }
    }

    /// `model` re-initialised with `scheme`: unchanged for `.keras`, PyTorch's default for `.pytorch`
    /// (seeded from `seed`, so the same seed gives the same weights).
    public static func model(_ model: Sequential, scheme: InitScheme, hiddenSize: Int, seed: UInt64) -> Sequential {
        guard scheme == .pytorch else { return model }
        var m = model
        var rng = SeededGenerator(seed: seed &+ 0x7079_746F_7263)
        apply(to: &m, hiddenSize: hiddenSize, rng: &rng)
        return m
    }
}
