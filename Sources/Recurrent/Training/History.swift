/// The metrics of one epoch.
public struct EpochRecord: Sendable, Equatable {
    /// The epoch index, counted from 0.
    public var epoch: Int
    /// `loss`, `val_loss`, `lr`, `grad_norm`, `seconds`, and `mae`/`val_mae`, … for metrics.
    public var metrics: [String: Double]

    public init(epoch: Int, metrics: [String: Double]) {
        self.epoch = epoch
        self.metrics = metrics
    }

    public subscript(_ key: String) -> Double? { metrics[key] }
}

/// Why `fit` stopped.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// All requested epochs ran.
    case completed
    /// `EarlyStopping` saw no improvement for `patience` epochs.
    case earlyStopping
    /// A callback set `stop`.
    case callback
    /// The loss, a gradient or a weight became NaN or infinite; the message says where.
    case nonFinite(String)

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .earlyStopping: return "early stopping"
        case .callback: return "stopped by a callback"
        case .nonFinite(let m): return m
        }
    }
}

/// What `fit` did: one record per epoch run, why it stopped, and the best epoch.
public struct History: Sendable, Equatable {
    public var records: [EpochRecord] = []
    public var stopReason: StopReason = .completed
    /// The epoch index with the lowest monitored value (early stopping's monitor, else
    /// `val_loss` when there is validation data, else `loss`).
    public var bestEpoch: Int?

    public init() {}

    /// The number of epochs run.
    public var epochsRun: Int { records.count }

    /// One metric over the epochs run (NaN where an epoch lacks it).
    public subscript(_ key: String) -> [Double] { records.map { $0.metrics[key] ?? .nan } }

    /// The record of the best epoch.
    public var best: EpochRecord? { bestEpoch.flatMap { e in records.first { $0.epoch == e } } }
}
