/// A serialisable description of one layer: what model files store as architecture.
///
/// Flat and Keras-like (`{"type": "LSTM", "units": 50, "return_sequences": true}`), so the
/// JSON is readable and a layer type can add options without breaking older files.
public struct LayerConfig: Codable, Equatable, Sendable {
    /// `Dense`, `SimpleRNN`, `LSTM`, `GRU`, `Dropout`, `Bidirectional`, `Conv1D`.
    public var type: String
    public var units: Int?
    public var activation: Activation?
    public var returnSequences: Bool?
    public var returnState: Bool?
    public var bpttSteps: Int?
    public var stateful: Bool?
    public var rate: Float?
    public var merge: String?
    /// The wrapped recurrent layer of a `Bidirectional`.
    public var layer: Box?
    public var filters: Int?
    public var kernelSize: Int?
    public var dilation: Int?
    /// Inner layers of a wrapper (`ARHighway` body, `Ensemble` members).
    public var layers: [LayerConfig]?
    /// `ARHighway`: add a linear map of the target history to the output.
    public var autoregressive: Bool?
    /// `ARHighway`: the AR map is not trained.
    public var frozen: Bool?
    /// `ARHighway`: normalise each window's target history and scale the body's output back (RevIN).
    public var instanceNorm: Bool?

    public init(type: String) { self.type = type }

    /// Indirection so a config can contain a config.
    public final class Box: Codable, Equatable, @unchecked Sendable {
        public let value: LayerConfig
        public init(_ value: LayerConfig) { self.value = value }
        public static func == (a: Box, b: Box) -> Bool { a.value == b.value }
        public required init(from decoder: Decoder) throws { value = try LayerConfig(from: decoder) }
        public func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
    }

    enum CodingKeys: String, CodingKey {
        case type, units, activation, rate, merge, layer, filters, dilation, stateful, layers, autoregressive, frozen
        case instanceNorm = "instance_norm"
        case returnSequences = "return_sequences", returnState = "return_state"
        case bpttSteps = "bptt_steps", kernelSize = "kernel_size"
    }
}

/// Makes layers from their descriptions. Layer types outside the engine register here.
public enum LayerRegistry {
    nonisolated(unsafe) private static var factories: [String: (LayerConfig) throws -> any Layer] = [
        "Dense": { try Dense(config: $0) },
        "Dropout": { try Dropout(config: $0) },
        "SimpleRNN": { try SimpleRNN(config: $0) },
        "LSTM": { try LSTM(config: $0) },
        "GRU": { try GRU(config: $0) },
        "Bidirectional": { try Bidirectional(config: $0) },
        "Conv1D": { try Conv1D(config: $0) },
        "ARHighway": { try ARHighway(config: $0) },
        "Ensemble": { try Ensemble(config: $0) },
    ]

    /// Adds a layer type so model files that name it can be loaded.
    public static func register(_ type: String, factory: @escaping (LayerConfig) throws -> any Layer) {
        factories[type] = factory
    }

    /// A new, unbuilt layer for `config`.
    public static func makeLayer(_ config: LayerConfig) throws -> any Layer {
        try config.checkLimits()
        guard let make = factories[config.type] else {
            throw ModelError.invalidConfiguration("unknown layer type '\(config.type)' (known: \(factories.keys.sorted().joined(separator: ", ")))")
        }
        return try make(config)
    }
}

extension LayerConfig {
    func require<T>(_ value: T?, _ key: String) throws -> T {
        guard let value else { throw ModelError.invalidConfiguration("\(type) needs '\(key)'") }
        return value
    }
}
