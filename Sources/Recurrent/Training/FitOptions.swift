/// Where `fit` gets validation data.
public enum Validation: Sendable, Equatable {
    case none
    /// The last `fraction` of the samples (Keras `validation_split`: taken before shuffling).
    case split(Double)
    /// Separate inputs and targets.
    case data(Tensor, Tensor)
}

/// Settings of `Sequential.fit`.
public struct FitOptions: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    /// Reshuffle the training samples every epoch.
    public var shuffle: Bool
    /// Seeds shuffling and dropout: the same seed gives bit-identical weights.
    public var seed: UInt64
    /// Seeds initialisation when `fit` builds an unbuilt model (default: `seed`).
    public var buildSeed: UInt64?
    public var validation: Validation
    public var earlyStopping: EarlyStopping?
    public var clipping: GradientClipping?
    /// λ of the L2 penalty `λ Σ w²` over weights (not biases); 0 for none.
    public var l2: Float
    public var schedule: LearningRateSchedule?
    /// The base rate of `schedule` (default: the optimizer's rate when `fit` starts). Set it when
    /// resuming a scheduled run, whose restored optimizer already holds a decayed rate.
    public var scheduleBase: Float?
    /// Extra metrics, reported as `mae`, `val_mae`, …
    public var metrics: [Metric]
    public var progress: ProgressStyle
    /// The first epoch to run (from 0), to resume a checkpointed run (Keras `initial_epoch`).
    public var initialEpoch: Int
    /// Batch size for the validation pass (default: `batchSize`).
    public var validationBatchSize: Int?

    public init(epochs: Int = 1, batchSize: Int = 32, shuffle: Bool = true, seed: UInt64 = 0, buildSeed: UInt64? = nil,
                validation: Validation = .none, earlyStopping: EarlyStopping? = nil, clipping: GradientClipping? = nil,
                l2: Float = 0, schedule: LearningRateSchedule? = nil, scheduleBase: Float? = nil, metrics: [Metric] = [], progress: ProgressStyle = .auto,
                initialEpoch: Int = 0, validationBatchSize: Int? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.buildSeed = buildSeed
        self.validation = validation
        self.earlyStopping = earlyStopping
        self.clipping = clipping
        self.l2 = l2
        self.schedule = schedule
        self.scheduleBase = scheduleBase
        self.metrics = metrics
        self.progress = progress
        self.initialEpoch = initialEpoch
        self.validationBatchSize = validationBatchSize
    }

    /// Checks every setting, with a message naming the bad one.
    public func validate() throws {
        func bad(_ s: String) -> ModelError { .invalidConfiguration(s) }
        guard epochs >= 1 else { throw bad("epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw bad("batch size must be at least 1, got \(batchSize)") }
        guard (validationBatchSize ?? 1) >= 1 else { throw bad("validation batch size must be at least 1") }
        guard initialEpoch >= 0, initialEpoch < epochs else { throw bad("initial epoch \(initialEpoch) must be in 0..<\(epochs)") }
        guard l2 >= 0, l2.isFinite else { throw bad("l2 must be a finite value ≥ 0, got \(l2)") }
        if let c = clipping { guard c.limit > 0, c.limit.isFinite else { throw bad("clipping limit must be positive, got \(c.limit)") } }
        if case .split(let f) = validation { guard f > 0, f < 1 else { throw bad("validation split must be in (0, 1), got \(f)") } }
        if let e = earlyStopping { guard e.patience >= 0, e.minDelta >= 0 else { throw bad("early stopping needs patience ≥ 0 and minDelta ≥ 0") } }
        if let b = scheduleBase { guard b > 0, b.isFinite else { throw bad("schedule base rate must be positive, got \(b)") } }
        try schedule?.validate()
    }
}
