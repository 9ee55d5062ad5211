/// What a callback sees at the end of an epoch.
public struct EpochContext {
    /// The epoch index (from 0) and the total requested.
    public var epoch: Int, epochs: Int
    public var record: EpochRecord
    /// The model after this epoch (a cheap copy-on-write value).
    public var model: Sequential
    /// The optimizer's state after this epoch, for exact resumption.
    public var optimizerState: OptimizerState
    /// Every epoch so far, this one included.
    public var history: History
}

/// What a callback sees after each batch.
public struct BatchContext: Sendable {
    public var epoch: Int, batch: Int, batches: Int
    /// This batch's loss (with the L2 penalty) and pre-clip global gradient norm.
    public var loss: Double, gradientNorm: Double
}

/// Hooks into `fit`. Callbacks are called in order; setting `stop` ends training after the
/// current batch or epoch (`StopReason.callback`). A thrown error ends `fit` with that error.
///
/// Use a class for a callback that keeps state. A checkpoint writer implements
/// `onEpochEnd` so an interrupted run loses at most the current epoch.
public protocol TrainingCallback {
    func onBatchEnd(_ context: BatchContext, stop: inout Bool) throws
    func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws
    /// After the last epoch and any weight restoration; `model` is the final model.
    func onTrainEnd(history: History, model: Sequential) throws
}

extension TrainingCallback {
    public func onBatchEnd(_ context: BatchContext, stop: inout Bool) throws {}
    public func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws {}
    public func onTrainEnd(history: History, model: Sequential) throws {}
}

/// A callback from a closure run at the end of every epoch.
public struct EpochEndCallback: TrainingCallback {
    private let body: (EpochContext, inout Bool) throws -> Void
    public init(_ body: @escaping (EpochContext, inout Bool) throws -> Void) { self.body = body }
    public func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws { try body(context, &stop) }
}
