/// Keras `EarlyStopping`: stop when `monitor` has not improved by more than `minDelta` for
/// `patience` epochs in a row.
public struct EarlyStopping: Sendable, Equatable {
    /// `.valLoss` falls back to `.loss` when `fit` has no validation data.
    public var monitor: Monitor
    public var patience: Int
    public var minDelta: Double
    /// When training ends (stopped early or not), put back the weights of the best epoch.
    public var restoreBestWeights: Bool

    public init(monitor: Monitor = .valLoss, patience: Int = 0, minDelta: Double = 0, restoreBestWeights: Bool = false) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }
}

/// The fit loop's early-stopping bookkeeping.
struct EarlyStoppingTracker {
    let rule: EarlyStopping
    private(set) var best = Double.infinity
    private(set) var bestEpoch: Int?
    private var wait = 0

    init(_ rule: EarlyStopping) { self.rule = rule }

    /// Records an epoch's monitored value.
    /// - Returns: (whether it is a new best, whether training should stop).
    mutating func observe(_ value: Double, epoch: Int) -> (improved: Bool, stop: Bool) {
        if value < best - rule.minDelta {
            best = value
            bestEpoch = epoch
            wait = 0
            return (true, false)
        }
        wait += 1
        return (false, wait >= max(rule.patience, 1))  // Keras: stop once wait ≥ patience
    }
}
