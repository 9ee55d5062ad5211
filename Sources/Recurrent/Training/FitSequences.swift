/// What `fit(_:_:sequences:…)` adds to `FitOptions`: padded sequences and stateful training.
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
    /// Trains on padded sequences and/or statefully; otherwise like `fit(_:_:loss:optimizer:options:callbacks:)`.
    ///
    /// With `lengths`, recurrent layers mask padded steps, and a many-to-many model
    /// (`y [N, T, …]`) counts only valid steps in the loss (the mask of
    /// `Sequential.stepMask`). With `stateful`, see `SequenceOptions.stateful`.
    ///
    /// Uses from `options`: epochs, batch size, shuffle (ignored when stateful), seeds,
    /// validation, clipping, L2, closed-form schedules, progress, initial epoch. Early
    /// stopping, the plateau schedule and extra metrics are not supported on this path and
    /// are rejected.
    /// - Parameters:
    ///   - x: inputs `[N, T, F]`.
    ///   - y: targets shaped like the model's output.
    /// - Throws: `ModelError` for bad inputs or options; `TrainingDiverged` as `fit` does.
    @discardableResult
    public mutating func fit(_ x: Tensor, _ y: Tensor, sequences: SequenceOptions, loss: Loss, optimizer: inout some Optimizer,
                             options: FitOptions = FitOptions(), callbacks: [any TrainingCallback] = []) throws -> History {
        try options.validate()
        guard options.earlyStopping == nil else { throw ModelError.invalidConfiguration("early stopping is not supported by fit(sequences:) yet") }
        guard options.metrics.isEmpty else { throw ModelError.invalidConfiguration("extra metrics are not supported by fit(sequences:) yet") }
        if case .reduceOnPlateau = options.schedule { throw ModelError.invalidConfiguration("the plateau schedule is not supported by fit(sequences:) yet") }
        guard x.rank == 3 else { throw ModelError.shapeMismatch("fit(sequences:) needs x [samples, time, features], got \(x.shape)") }
        if !isBuilt { try build(inputShape: Array(x.shape.dropFirst()), seed: options.buildSeed ?? options.seed) }
        try checkTrainingPair(x, y, names: ("x", "y"))
        try checkLengths(sequences.lengths, for: x)

        var train = SequenceSet(x: x, y: y, lengths: sequences.lengths)
        var validation: SequenceSet?
        switch options.validation {
        case .none: break
        case .split(let fraction):
            let n = x.shape[0]
            var cut = Int((Double(n) * (1 - fraction)).rounded(.down))
            if sequences.stateful { cut -= cut % options.batchSize }
            guard cut > 0, cut < n else {
                throw ModelError.invalidConfiguration("validation split \(fraction) of \(n) samples leaves an empty training or validation set")
            }
            validation = train.slice(cut..<n)
            train = train.slice(0..<cut)
        case .data(let vx, let vy):
            try checkTrainingPair(vx, vy, names: ("validation x", "validation y"))
            try checkLengths(sequences.validationLengths, for: vx)
            validation = SequenceSet(x: vx, y: vy, lengths: sequences.validationLengths)
        }
        if sequences.stateful {
            guard layers.contains(where: { ($0 as? any RecurrentLayer)?.core.isStateful == true }) else {
                throw ModelError.invalidConfiguration("stateful training needs recurrent layers made with stateful: true")
            }
            guard train.count % options.batchSize == 0 else {
                throw ModelError.invalidConfiguration("stateful training needs a sample count that is a multiple of the batch size: \(train.count) samples, batch \(options.batchSize)")
            }
        }
        var loop = SequenceFitLoop(options: options, stateful: sequences.stateful, loss: loss, train: train, validation: validation,
                                   baseLearningRate: options.scheduleBase ?? optimizer.learningRate)
        return try loop.run(model: &self, optimizer: &optimizer, callbacks: callbacks)
    }
}

/// Inputs, targets and optional lengths of a set of sequences.
struct SequenceSet {
    var x: Tensor, y: Tensor, lengths: [Int]?
    var count: Int { x.shape[0] }

    func slice(_ r: Range<Int>) -> SequenceSet {
        SequenceSet(x: x.slice(r), y: y.slice(r), lengths: lengths.map { Array($0[r]) })
    }

    func gathering(_ rows: [Int]) -> SequenceSet {
        SequenceSet(x: x.gathering(rows), y: y.gathering(rows), lengths: lengths.map { l in rows.map { l[$0] } })
    }

    /// The loss mask `[B, T]` for a many-to-many target, nil otherwise or without lengths.
    var weights: Tensor? {
        guard let lengths, y.rank >= 3, y.shape[1] == x.shape[1] else { return nil }
        return Sequential.stepMask(lengths: lengths, steps: x.shape[1])
    }

    /// How much this batch weighs in an epoch average: valid steps for a masked
    /// many-to-many target, else samples.
    var mass: Double {
        if weights != nil, let lengths { return Double(lengths.reduce(0, +)) }
        return Double(count)
    }
}

/// The epoch loop of `fit(sequences:)`.
struct SequenceFitLoop {
    let options: FitOptions
    let stateful: Bool
    let loss: Loss
    let train: SequenceSet
    let validation: SequenceSet?
    let baseLearningRate: Float
    var history = History()
    var reporter: ProgressReporter

    init(options: FitOptions, stateful: Bool, loss: Loss, train: SequenceSet, validation: SequenceSet?, baseLearningRate: Float) {
        self.options = options
        self.stateful = stateful
        self.loss = loss
        self.train = train
        self.validation = validation
        self.baseLearningRate = baseLearningRate
        reporter = ProgressReporter(style: options.progress, epochs: options.epochs)
    }

    mutating func run(model: inout Sequential, optimizer: inout some Optimizer, callbacks: [any TrainingCallback]) throws -> History {
        var best = Double.infinity
        defer { if stateful { model.resetStates() } }
        for epoch in options.initialEpoch..<options.epochs {
            let goodWeights = ParameterSnapshot(model), goodOptimizer = optimizer
            if let s = options.schedule { optimizer.learningRate = s.learningRate(epoch: epoch, base: baseLearningRate) }
            let learningRate = optimizer.learningRate
            let clock = Stopwatch()
            var stop = false
            var record: EpochRecord
            do {
                record = try trainEpoch(epoch, model: &model, optimizer: &optimizer, callbacks: callbacks, clock: clock, stop: &stop)
                if let validation {
                    let v = try evaluate(validation, model: &model) + model.l2Penalty(options.l2)
                    guard v.isFinite else { throw Divergence(problem: "non-finite validation loss (\(v))", batch: nil) }
                    record.metrics["val_loss"] = v
                }
            } catch let d as Divergence {
                goodWeights.restore(into: &model)
                optimizer = goodOptimizer
                let message = d.message(epoch: epoch, clipping: options.clipping, learningRate: learningRate,
                                        restoredToStart: history.records.isEmpty)
                history.stopReason = .nonFinite(message)
                reporter.message(message)
                throw TrainingDiverged(message: message, history: history)
            }
            record.metrics["lr"] = Double(learningRate)
            record.metrics["seconds"] = clock.elapsed
            let monitored = record.metrics["val_loss"] ?? record.metrics["loss"]!
            if monitored < best { best = monitored; history.bestEpoch = epoch }
            history.records.append(record)
            reporter.endEpoch(record, order: validation == nil ? ["loss", "lr"] : ["loss", "val_loss", "lr"])
            let context = EpochContext(epoch: epoch, epochs: options.epochs, record: record, model: model,
                                       optimizerState: optimizer.exportState(), history: history)
            var callbackStop = false
            for c in callbacks { try c.onEpochEnd(context, stop: &callbackStop) }
            if callbackStop && history.stopReason == .completed { history.stopReason = .callback }
            if stop || callbackStop { break }
        }
        for c in callbacks { try c.onTrainEnd(history: history, model: model) }
        return history
    }

    /// The validation loss; a stateful model runs the set from a reset state in order.
    func evaluate(_ set: SequenceSet, model: inout Sequential) throws -> Double {
        let batch = options.validationBatchSize ?? options.batchSize
        guard stateful else { return try model.evaluate(set.x, set.y, lengths: set.lengths, loss: loss, batchSize: batch) }
        model.resetStates()
        defer { model.resetStates() }
        var total = 0.0, mass = 0.0
        var start = 0
        while start < set.count {
            let part = set.slice(start..<(start + min(options.batchSize, set.count - start)))
            let p = model.inferCarryingState(part.x, lengths: part.lengths)
            total += try loss.value(p, part.y, weights: part.weights) * part.mass
            mass += part.mass
            start += options.batchSize
        }
        return total / mass
    }

    mutating func trainEpoch(_ epoch: Int, model: inout Sequential, optimizer: inout some Optimizer,
                             callbacks: [any TrainingCallback], clock: Stopwatch, stop: inout Bool) throws -> EpochRecord {
        let n = train.count, batchSize = min(options.batchSize, max(n, 1))   // a huge batch size is one batch
        let batches = (n + batchSize - 1) / batchSize
        var epochRNG = SeededGenerator(seed: options.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        var shuffleRNG = epochRNG.fork(), dropoutRNG = epochRNG.fork()
        var order = Array(0..<n)
        let shuffles = options.shuffle && !stateful
        if shuffles {
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(shuffleRNG.next() % UInt64(i + 1))) }
        }
        if stateful { model.resetStates() }
        var lossSum = 0.0, normSum = 0.0, seen = 0.0, steps = 0
        for b in 0..<batches {
            let lo = b * batchSize, hi = min(n, lo + batchSize)
            let part = shuffles ? train.gathering(Array(order[lo..<hi])) : train.slice(lo..<hi)
            let mass = part.mass
            guard mass > 0 else { continue }
            let step = try model.trainStep(part.x, part.y, lengths: part.lengths, weights: part.weights, loss: loss,
                                           options: options, optimizer: &optimizer, rng: &dropoutRNG, batch: b)
            let batchLoss = step.loss, norm = step.gradientNorm
            lossSum += batchLoss * mass
            seen += mass
            normSum += norm
            steps += 1
            for c in callbacks {
                try c.onBatchEnd(BatchContext(epoch: epoch, batch: b, batches: batches, loss: batchLoss, gradientNorm: norm), stop: &stop)
            }
            reporter.batch(epoch: epoch, batch: b + 1, batches: batches, elapsed: clock.elapsed, loss: lossSum / seen)
            if stop {
                history.stopReason = .callback
                break
            }
        }
        guard seen > 0 else { throw ModelError.invalidConfiguration("every training sequence has length 0: nothing to train on") }
        return EpochRecord(epoch: epoch, metrics: ["loss": lossSum / seen, "grad_norm": normSum / Double(max(steps, 1))])
    }
}

/// Arranges one long series for stateful training.
public enum StatefulBatches {
    /// Cuts `series [L, F]` with per-step `targets [L, O]` into `streams` parallel streams
    /// of consecutive windows of `steps`, ordered so that batch k (rows `k·streams ..< (k+1)·streams`)
    /// continues batch k − 1 row by row. Train with batch size `streams` and
    /// `SequenceOptions(stateful: true)`.
    /// - Returns: `x [N, steps, F]`, `y [N, steps, O]` with N = streams · windows per stream.
    public static func make(series: Tensor, targets: Tensor, streams: Int, steps: Int) throws -> (x: Tensor, y: Tensor) {
        guard series.rank == 2, targets.rank == 2, series.shape[0] == targets.shape[0] else {
            throw ModelError.shapeMismatch("stateful batches need series [L, F] and targets [L, O] of equal length, got \(series.shape) and \(targets.shape)")
        }
        guard streams >= 1, steps >= 1 else { throw ModelError.invalidConfiguration("streams and steps must be positive, got \(streams) and \(steps)") }
        let length = series.shape[0], f = series.shape[1], o = targets.shape[1]
        let windows = length / streams / steps
        guard windows >= 1 else {
            throw ModelError.shapeMismatch("a series of \(length) steps is too short for \(streams) streams of \(steps)-step windows")
        }
        let perStream = windows * steps
        var x = [Float](), y = [Float]()
        x.reserveCapacity(streams * perStream * f)
        y.reserveCapacity(streams * perStream * o)
        for w in 0..<windows {
            for s in 0..<streams {
                let start = s * perStream + w * steps
                x += series.scalars[(start * f)..<((start + steps) * f)]
                y += targets.scalars[(start * o)..<((start + steps) * o)]
            }
        }
        return (Tensor(shape: [windows * streams, steps, f], scalars: x), Tensor(shape: [windows * streams, steps, o], scalars: y))
    }
}
