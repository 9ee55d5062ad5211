import RealModule

/// How the learning rate changes from epoch to epoch during `fit`.
///
/// Epochs are counted from 0. The closed-form schedules are functions of the epoch and the
/// base rate (the optimizer's rate when `fit` starts); `reduceOnPlateau` reacts to a
/// monitored quantity at the end of each epoch.
public enum LearningRateSchedule: Sendable, Equatable {
    /// `base · factor^⌊epoch / every⌋`.
    case stepDecay(factor: Double, every: Int)
    /// `base · rate^epoch`.
    case exponential(rate: Double)
    /// Linear warm-up from `base/warmupEpochs` to `base` over `warmupEpochs`, then a cosine
    /// from `base` down to `minimum` over the remaining `totalEpochs − warmupEpochs` epochs;
    /// `minimum` afterwards.
    case cosine(totalEpochs: Int, warmupEpochs: Int = 0, minimum: Double = 0)
    /// Keras `ReduceLROnPlateau`; the rate is changed by `fit`, not by `learningRate(epoch:base:)`.
    case reduceOnPlateau(ReduceLROnPlateau)

    /// The rate for `epoch` (from 0) given the base rate. For `reduceOnPlateau`, `base`.
    public func learningRate(epoch: Int, base: Float) -> Float {
        let b = Double(base), e = Double(max(epoch, 0))
        switch self {
        case .stepDecay(let factor, let every):
            return Float(b * Double.pow(factor, (e / Double(max(every, 1))).rounded(.down)))
        case .exponential(let rate):
            return Float(b * Double.pow(rate, e))
        case .cosine(let total, let warmup, let minimum):
            if epoch < warmup { return Float(b * (e + 1) / Double(warmup)) }
            let span = Double(max(total - warmup, 1))
            let progress = min((e - Double(warmup)) / span, 1)
            return Float(minimum + (b - minimum) * 0.5 * (1 + Double.cos(Double.pi * progress)))
        case .reduceOnPlateau:
            return base
        }
    }

    /// Checks the settings; `fit` calls this first.
    public func validate() throws {
        switch self {
        case .stepDecay(let factor, let every):
            guard factor > 0, every >= 1 else { throw ModelError.invalidConfiguration("step decay needs factor > 0 and every ≥ 1") }
        case .exponential(let rate):
            guard rate > 0 else { throw ModelError.invalidConfiguration("exponential decay needs rate > 0") }
        case .cosine(let total, let warmup, let minimum):
            guard total >= 1, warmup >= 0, warmup <= total, minimum >= 0 else {
                throw ModelError.invalidConfiguration("cosine schedule needs totalEpochs ≥ 1, 0 ≤ warmupEpochs ≤ totalEpochs, minimum ≥ 0")
            }
        case .reduceOnPlateau(let p):
            try p.validate()
        }
    }
}

/// The quantity a callback watches at the end of an epoch.
public enum Monitor: String, Sendable, Equatable {
    /// Training loss (including the L2 penalty).
    case loss
    /// Validation loss (falls back to `loss` when there is no validation data).
    case valLoss = "val_loss"
}

/// Keras `ReduceLROnPlateau`: multiply the rate by `factor` when `monitor` has not improved by
/// more than `minDelta` for `patience` epochs; then wait `cooldown` epochs; never below `minimum`.
public struct ReduceLROnPlateau: Sendable, Equatable {
    public var monitor: Monitor
    public var factor: Double
    public var patience: Int
    public var minDelta: Double
    public var cooldown: Int
    public var minimum: Float
    /// The best monitored value so far.
    public private(set) var best = Double.infinity
    private var wait = 0
    private var cooldownLeft = 0

    public init(monitor: Monitor = .valLoss, factor: Double = 0.1, patience: Int = 10, minDelta: Double = 1e-4, cooldown: Int = 0, minimum: Float = 0) {
        self.monitor = monitor
        self.factor = factor
        self.patience = patience
        self.minDelta = minDelta
        self.cooldown = cooldown
        self.minimum = minimum
    }

    public func validate() throws {
        guard factor > 0, factor < 1 else { throw ModelError.invalidConfiguration("ReduceLROnPlateau factor must be in (0, 1), got \(factor)") }
        guard patience >= 0, cooldown >= 0, minDelta >= 0, minimum >= 0 else {
            throw ModelError.invalidConfiguration("ReduceLROnPlateau needs patience, cooldown, minDelta and minimum ≥ 0")
        }
    }

    /// Observes the monitored value at the end of an epoch.
    /// - Returns: the new learning rate, or nil to keep `current`.
    public mutating func observe(_ value: Double, current: Float) -> Float? {
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            wait = 0
        }
        if value < best - minDelta {
            best = value
            wait = 0
            return nil
        }
        guard cooldownLeft == 0 else { return nil }
        wait += 1
        guard wait >= patience else { return nil }
        guard current > minimum else { return nil }
        wait = 0
        cooldownLeft = cooldown
        return max(Float(Double(current) * factor), minimum)
    }
}
