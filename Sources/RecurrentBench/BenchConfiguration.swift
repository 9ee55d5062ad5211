import Recurrent
/// One named benchmark setup of `rnn bench`: a stacked recurrent model on windows of one
/// input feature, trained with Adam on MSE. The peer scripts (bench/peers/common.py) use
/// the same table, so change both together.
public struct BenchConfiguration: Sendable, Equatable {
    public var name: String
    public var cell: RecurrentKind
    /// Stacked recurrent layers; all but the last return sequences.
    public var layers: Int
    public var units: Int
    /// Dropout after every recurrent layer (0: none).
    public var dropout: Float
    public var lookback: Int
    public var batchSize: Int
    public var windows: Int

    public init(name: String, cell: RecurrentKind, layers: Int = 1, units: Int, dropout: Float = 0, lookback: Int, batchSize: Int, windows: Int) {
        self.name = name; self.cell = cell; self.layers = layers; self.units = units
        self.dropout = dropout; self.lookback = lookback; self.batchSize = batchSize; self.windows = windows
    }

    /// LSTM(50, seq) → Dropout(0.2) → LSTM(50, seq) → Dropout(0.2) → LSTM(50) → Dropout(0.2) → Dense(1).
    public static let lab = BenchConfiguration(name: "lab", cell: .lstm, layers: 3, units: 50, dropout: 0.2, lookback: 60, batchSize: 32, windows: 2000)
    /// LSTM(64) → Dense(1).
    public static let lstm64 = BenchConfiguration(name: "lstm64", cell: .lstm, units: 64, lookback: 48, batchSize: 64, windows: 20000)
    /// GRU(128) → Dense(1).
    public static let gru128 = BenchConfiguration(name: "gru128", cell: .gru, units: 128, lookback: 96, batchSize: 128, windows: 10000)
    /// The training configurations in report order.
    public static let all: [BenchConfiguration] = [.lab, .lstm64, .gru128]

    public static func named(_ name: String) -> BenchConfiguration? { all.first { $0.name == name } }

    /// The model in `ModelSpec` syntax, e.g. `lstm:50:seq,dropout:0.2,…,dense:1`.
    public var spec: String {
        var parts: [String] = []
        for l in 0..<layers {
            parts.append("\(cell.rawValue):\(units)" + (l < layers - 1 ? ":seq" : ""))
            if dropout > 0 { parts.append("dropout:\(dropout)") }
        }
        return (parts + ["dense:1"]).joined(separator: ",")
    }

    /// An unbuilt model for this configuration.
    public func model() throws -> Sequential { try ModelSpec.model(spec) }

    var gates: Int { cell.cell.gateCount }

    /// Multiply-add flops of one window's forward pass in the matrix products
    /// (2·G·H·(F+H) per step and layer, plus the head); element-wise work is not counted.
    public var forwardFlopsPerSample: Double {
        var total = 0.0, features = 1
        for _ in 0..<layers {
            total += 2 * Double(gates * units * (features + units) * lookback)
            features = units
        }
        return total + 2 * Double(units)
    }

    /// Training flops per window: forward, plus backward's two products of the same size
    /// (the input/state gradients and the weight gradients), i.e. 3 × forward.
    public var trainingFlopsPerSample: Double { 3 * forwardFlopsPerSample }
}
