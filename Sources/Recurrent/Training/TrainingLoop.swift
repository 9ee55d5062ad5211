/// The end of an epoch as the loop reports it to its caller's hooks.
struct EpochEnd<Model> {
    var epoch: Int, epochs: Int
    var record: EpochRecord
    var model: Model
    var optimizerState: OptimizerState
    var history: History
}

/// What a `fit` entry point wants to hear from the loop: its public callbacks, adapted.
struct TrainingHooks<Model> {
    var batchEnd: (BatchContext, inout Bool) throws -> Void = { _, _ in }
    var epochEnd: (EpochEnd<Model>, inout Bool) throws -> Void = { _, _ in }
    var trainEnd: (History, Model) throws -> Void = { _, _ in }
}

/// The one epoch loop behind every `fit`: `Sequential` (plain, padded with lengths, stateful)
/// and `EncoderDecoder` train through it.
///
/// Per batch: forward (dropout from the seeded stream; padded steps masked), loss, backward,
/// finiteness check, L2 gradient, clipping, optimizer step. Per epoch: learning rate from the
/// schedule at the start; validation on the inference path; best epoch, early stopping,
/// plateau schedule and callbacks at the end. A non-finite loss, gradient or weight puts the
/// model and optimizer back at the end of the last good epoch and throws `TrainingDiverged`.
struct TrainingLoop<Model: Trainable> {
    let options: FitOptions
    let loss: Loss
    /// Batches continue each other row by row: no shuffling, states reset at every epoch
    /// start, around validation and after the loop.
    let stateful: Bool
    let train: TrainingSet
    let validation: TrainingSet?
    let baseLearningRate: Float
    let hooks: TrainingHooks<Model>
    var history = History()
    var reporter: ProgressReporter
    var plateau: ReduceLROnPlateau?
    var early: EarlyStoppingTracker?
    /// Best monitored value for `History.bestEpoch` when there is no early stopping.
    var bestMonitored = Double.infinity
    var bestWeights: ParameterSnapshot?

    init(options: FitOptions, loss: Loss, stateful: Bool = false, train: TrainingSet, validation: TrainingSet?,
         baseLearningRate: Float, hooks: TrainingHooks<Model>) {
        self.options = options
        self.loss = loss
        self.stateful = stateful
        self.train = train
        self.validation = validation
        self.baseLearningRate = options.scheduleBase ?? baseLearningRate
        self.hooks = hooks
        reporter = ProgressReporter(style: options.progress, epochs: options.epochs)
        if case .reduceOnPlateau(let p) = options.schedule { plateau = p }
        early = options.earlyStopping.map(EarlyStoppingTracker.init)
    }

    /// The key a monitor reads, falling back to `loss` without validation data.
    func key(_ monitor: Monitor) -> String { monitor == .valLoss && validation != nil ? "val_loss" : "loss" }

    mutating func run(model: inout Model, optimizer: inout some Optimizer) throws -> History {
        defer {
            if stateful { model.resetStates() }
            model.releaseTrainingCaches()
        }
        for epoch in options.initialEpoch..<options.epochs {
            // The state at the end of the last good epoch, restored if this one diverges.
            let goodWeights = ParameterSnapshot(model), goodOptimizer = optimizer
            if let s = options.schedule, plateau == nil { optimizer.learningRate = s.learningRate(epoch: epoch, base: baseLearningRate) }
            let learningRate = optimizer.learningRate
            let clock = Stopwatch()

            var stop = false
            var record: EpochRecord
            do {
                record = try trainEpoch(epoch, model: &model, optimizer: &optimizer, clock: clock, stop: &stop)
                if let validation {
                    var v = try model.evaluate(validation, loss: loss, metrics: options.metrics,
                                               batchSize: stateful ? options.batchSize : options.validationBatchSize ?? options.batchSize,
                                               carryingState: stateful)
                    v["loss"]! += model.l2Penalty(options.l2)
                    guard v["loss"]!.isFinite else { throw Divergence(problem: "non-finite validation loss (\(v["loss"]!))", batch: nil) }
                    for (k, value) in v { record.metrics["val_" + k] = value }
                }
            } catch let d as Divergence {
                goodWeights.restore(into: &model)
                optimizer = goodOptimizer
                var diverged = TrainingDiverged(d, epoch: epoch, clipping: options.clipping, learningRate: learningRate,
                                                restoredToStart: history.records.isEmpty, history: history)
                history.stopReason = .nonFinite(diverged.message)
                diverged.history = history
                reporter.message(diverged.message)
                throw diverged
            }
            record.metrics["lr"] = Double(learningRate)
            record.metrics["seconds"] = clock.elapsed

            // End of epoch: best epoch, early stopping, plateau schedule.
            let monitored = record.metrics[key(options.earlyStopping?.monitor ?? .valLoss)]!
            if var tracker = early {
                let (improved, shouldStop) = tracker.observe(monitored, epoch: epoch)
                early = tracker
                if improved && tracker.rule.restoreBestWeights { bestWeights = ParameterSnapshot(model) }
                if shouldStop && !stop {
                    stop = true
                    history.stopReason = .earlyStopping
                }
                history.bestEpoch = tracker.bestEpoch
            } else if monitored < bestMonitored {
                bestMonitored = monitored
                history.bestEpoch = epoch
            }
            if var p = plateau {
                if let reduced = p.observe(record.metrics[key(p.monitor)]!, current: optimizer.learningRate) {
                    optimizer.learningRate = reduced
                }
                plateau = p
            }
            history.records.append(record)
            if stop, history.stopReason == .earlyStopping { restoreBest(into: &model) }
            reporter.endEpoch(record, order: metricOrder)

            var callbackStop = false
            try hooks.epochEnd(EpochEnd(epoch: epoch, epochs: options.epochs, record: record, model: model,
                                        optimizerState: optimizer.exportState(), history: history), &callbackStop)
            if callbackStop && history.stopReason == .completed { history.stopReason = .callback }
            if stop || callbackStop { break }
        }
        if history.stopReason != .earlyStopping { restoreBest(into: &model) }
        try hooks.trainEnd(history, model)
        return history
    }

    /// Puts back the best epoch's weights when early stopping asks for it.
    func restoreBest(into model: inout Model) {
        guard let tracker = early, tracker.rule.restoreBestWeights, let bestWeights,
              tracker.bestEpoch != history.records.last?.epoch else { return }
        bestWeights.restore(into: &model)
    }

    /// Display order of metrics in the progress line.
    var metricOrder: [String] {
        var keys = ["loss"] + options.metrics.map(\.rawValue)
        if validation != nil { keys += keys.map { "val_" + $0 } }
        return keys + ["lr"]
    }

    /// One pass over the training set, shuffled unless stateful.
    /// - Returns: the epoch's record with `loss`, metrics and `grad_norm`.
    mutating func trainEpoch(_ epoch: Int, model: inout Model, optimizer: inout some Optimizer,
                             clock: Stopwatch, stop: inout Bool) throws -> EpochRecord {
        let n = train.count, batchSize = min(options.batchSize, max(n, 1))   // a huge batch size is one batch
        let batches = (n + batchSize - 1) / batchSize
        // Shuffling and dropout of epoch e depend only on (seed, e), so a resumed run matches.
        var epochRNG = SeededGenerator(seed: options.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        var shuffleRNG = epochRNG.fork(), dropoutRNG = epochRNG.fork()
        let shuffles = options.shuffle && !stateful
        var order = Array(0..<n)
        if shuffles {
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(shuffleRNG.next() % UInt64(i + 1))) }
        }
        if stateful { model.resetStates() }

        var lossSum = 0.0, normSum = 0.0, seen = 0.0, steps = 0
        var metrics = options.metrics.map(MetricAccumulator.init)
        for b in 0..<batches {
            let lo = b * batchSize, hi = min(n, lo + batchSize)
            let batch = shuffles ? train.gathering(Array(order[lo..<hi])) : train.slice(lo..<hi)
            let mass = batch.mass
            guard mass > 0 else { continue }   // every sequence of the batch has length 0
            let step = try model.trainStep(batch, loss: loss, options: options, optimizer: &optimizer, rng: &dropoutRNG, index: b)
            lossSum += step.loss * mass
            seen += mass
            normSum += step.gradientNorm
            steps += 1
            for i in metrics.indices { metrics[i].add(step.prediction, batch.y) }
            try hooks.batchEnd(BatchContext(epoch: epoch, batch: b, batches: batches, loss: step.loss, gradientNorm: step.gradientNorm), &stop)
            reporter.batch(epoch: epoch, batch: b + 1, batches: batches, elapsed: clock.elapsed, loss: lossSum / seen)
            if stop {
                history.stopReason = .callback
                break
            }
        }
        guard seen > 0 else { throw ModelError.invalidConfiguration("every training sequence has length 0: nothing to train on") }
        var record = EpochRecord(epoch: epoch, metrics: ["loss": lossSum / seen, "grad_norm": normSum / Double(steps)])
        for m in metrics { record.metrics[m.metric.rawValue] = m.value }
        return record
    }
}
