/// What a `Sequential.fit` on sequences adds to `FitOptions`: padding lengths and stateful training.
public struct SequenceOptions: Sendable, Equatable {
    /// Valid steps of each training sequence `[N]` (right padding), or nil when all are full.
    public var lengths: [Int]?
    /// Valid steps of each validation sequence (with `Validation.data` or `.split`).
    public var validationLengths: [Int]?
    /// Stateful training: batch k + 1 continues batch k row by row (sample `k·B + s` follows
    /// sample `(k−1)·B + s`), so the recurrent layers start each batch from the previous
    /// batch's final states. The order is kept (no shuffling), states are reset at the start
    /// of every epoch, before validation and after `fit`. Needs recurrent layers made with
    /// `stateful: true` and a sample count that is a multiple of the batch size.
    ///
    /// Gradients do not cross batch boundaries: the carried state is a constant for the next
    /// batch, so backpropagation is truncated to one batch's steps (truncated BPTT). A series
    /// far longer than could be unrolled in memory is trained in windows this way.
    public var stateful: Bool

    public init(lengths: [Int]? = nil, validationLengths: [Int]? = nil, stateful: Bool = false) {
        self.lengths = lengths
        self.validationLengths = validationLengths
        self.stateful = stateful
    }
}

extension Sequential {
    /// Trains the model by mini-batch BPTT and returns the per-epoch history.
    ///
    /// ```swift
    /// var model = Sequential { LSTM(32); Dense(1) }
    /// var adam = Adam(learningRate: 1e-3)
    /// let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
    ///                             options: FitOptions(epochs: 20, batchSize: 32, seed: 7,
    ///                                                 validation: .split(0.2),
    ///                                                 earlyStopping: EarlyStopping(patience: 3, restoreBestWeights: true),
    ///                                                 clipping: .globalNorm(1)))
    /// print(history["val_loss"])
    /// ```
    ///
    /// Padded sequences: pass `sequences: SequenceOptions(lengths:)`; recurrent layers then
    /// mask padded steps and a many-to-many model (`y [N, T, …]`) counts only valid steps in
    /// the loss (the mask of `Sequential.stepMask`). Stateful training: see
    /// `SequenceOptions.stateful`. Extra metrics are refused with lengths (padding would count).
    ///
    /// Per batch: forward (dropout from the seeded stream), loss, backward, finiteness check,
    /// L2 gradient, clipping, optimizer step. Per epoch: learning rate from the schedule at
    /// the start; validation on the inference path; early stopping, plateau schedule and
    /// callbacks at the end. An unbuilt model is built for `x`'s shape first.
    ///
    /// - Throws: `ModelError` for bad inputs or options (before any training);
    ///   `TrainingDiverged` when the loss, a gradient or a weight becomes non-finite — the
    ///   model and optimizer are then back at the end of the last good epoch.
    @discardableResult
    public mutating func fit(_ x: Tensor, _ y: Tensor, sequences: SequenceOptions = SequenceOptions(), loss: Loss,
                             optimizer: inout some Optimizer, options: FitOptions = FitOptions(),
                             callbacks: [any TrainingCallback] = []) throws -> History {
        try options.validate()
        let onSequences = sequences.lengths != nil || sequences.stateful
        if onSequences {
            guard x.rank == 3 else { throw ModelError.shapeMismatch("lengths and stateful training need x [samples, time, features], got \(x.shape)") }
            guard sequences.lengths == nil || options.metrics.isEmpty else {
                throw ModelError.invalidConfiguration("extra metrics are not supported with lengths (padded steps would count)")
            }
        } else {
            guard x.rank >= 2 else { throw ModelError.shapeMismatch("x must be [batch, …], got \(x.shape)") }
        }
        if !isBuilt { try build(inputShape: Array(x.shape.dropFirst()), seed: options.buildSeed ?? options.seed) }
        try checkTrainingPair(x, y, names: ("x", "y"))
        try checkLengths(sequences.lengths, for: x)

        var (train, validation) = try TrainingSet(x: x, y: y, lengths: sequences.lengths)
            .splittingValidation(options, stateful: sequences.stateful)
        if case .data(let vx, let vy) = options.validation {
            try checkTrainingPair(vx, vy, names: ("validation x", "validation y"))
            try checkLengths(sequences.validationLengths, for: vx)
            validation = TrainingSet(x: vx, y: vy, lengths: sequences.validationLengths)
        }
        if sequences.stateful {
            guard layers.contains(where: { ($0 as? any RecurrentLayer)?.isStateful == true }) else {
                throw ModelError.invalidConfiguration("stateful training needs recurrent layers made with stateful: true")
            }
            guard train.count % options.batchSize == 0 else {
                throw ModelError.invalidConfiguration("stateful training needs a sample count that is a multiple of the batch size: \(train.count) samples, batch \(options.batchSize)")
            }
        }
        let hooks = TrainingHooks<Sequential>(
            batchEnd: { context, stop in for c in callbacks { try c.onBatchEnd(context, stop: &stop) } },
            epochEnd: { end, stop in
                let context = EpochContext(epoch: end.epoch, epochs: end.epochs, record: end.record, model: end.model,
                                           optimizerState: end.optimizerState, history: end.history)
                for c in callbacks { try c.onEpochEnd(context, stop: &stop) }
            },
            trainEnd: { history, model in for c in callbacks { try c.onTrainEnd(history: history, model: model) } })
        var loop = TrainingLoop(options: options, loss: loss, stateful: sequences.stateful, train: train, validation: validation,
                                baseLearningRate: optimizer.learningRate, hooks: hooks)
        return try loop.run(model: &self, optimizer: &optimizer)
    }
}
