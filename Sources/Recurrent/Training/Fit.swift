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
    /// Per batch: forward (dropout from the seeded stream), loss, backward, finiteness check,
    /// L2 gradient, clipping, optimizer step. Per epoch: learning rate from the schedule at
    /// the start; validation on the inference path; early stopping, plateau schedule and
    /// callbacks at the end. An unbuilt model is built for `x`'s shape first.
    ///
    /// - Throws: `ModelError` for bad inputs or options (before any training);
    ///   `TrainingDiverged` when the loss, a gradient or a weight becomes non-finite — the
    ///   model and optimizer are then back at the end of the last good epoch.
    @discardableResult
    public mutating func fit(_ x: Tensor, _ y: Tensor, loss: Loss, optimizer: inout some Optimizer,
                             options: FitOptions = FitOptions(), callbacks: [any TrainingCallback] = []) throws -> History {
        try options.validate()
        guard x.rank >= 2 else { throw ModelError.shapeMismatch("x must be [batch, …], got \(x.shape)") }
        if !isBuilt { try build(inputShape: Array(x.shape.dropFirst()), seed: options.buildSeed ?? options.seed) }
        try checkTrainingPair(x, y, names: ("x", "y"))

        // Validation data (Keras: the split is the last samples, before any shuffling).
        var trainX = x, trainY = y
        var validation: (x: Tensor, y: Tensor)?
        switch options.validation {
        case .none: break
        case .split(let fraction):
            let n = x.shape[0]
            let cut = Int((Double(n) * (1 - fraction)).rounded(.down))
            guard cut > 0, cut < n else {
                throw ModelError.invalidConfiguration("validation split \(fraction) of \(n) samples leaves an empty training or validation set")
            }
            trainX = x.slice(0..<cut); trainY = y.slice(0..<cut)
            validation = (x.slice(cut..<n), y.slice(cut..<n))
        case .data(let vx, let vy):
            try checkTrainingPair(vx, vy, names: ("validation x", "validation y"))
            validation = (vx, vy)
        }

        var loop = FitLoop(options: options, loss: loss, trainX: trainX, trainY: trainY, validation: validation, baseLearningRate: options.scheduleBase ?? optimizer.learningRate)
        return try loop.run(model: &self, optimizer: &optimizer, callbacks: callbacks)
    }
}

/// The state of one `fit` call.
struct FitLoop {
    let options: FitOptions
    let loss: Loss
    let trainX: Tensor, trainY: Tensor
    let validation: (x: Tensor, y: Tensor)?
    let baseLearningRate: Float
    var history = History()
    var reporter: ProgressReporter
    var plateau: ReduceLROnPlateau?
    var early: EarlyStoppingTracker?
    /// Best monitored value for `History.bestEpoch` when there is no early stopping.
    var bestMonitored = Double.infinity
    var bestWeights: ParameterSnapshot?

    init(options: FitOptions, loss: Loss, trainX: Tensor, trainY: Tensor, validation: (x: Tensor, y: Tensor)?, baseLearningRate: Float) {
        self.options = options
        self.loss = loss
        self.trainX = trainX
        self.trainY = trainY
        self.validation = validation
        self.baseLearningRate = baseLearningRate
        reporter = ProgressReporter(style: options.progress, epochs: options.epochs)
        if case .reduceOnPlateau(let p) = options.schedule { plateau = p }
        early = options.earlyStopping.map(EarlyStoppingTracker.init)
    }

    /// The key a monitor reads, falling back to `loss` without validation data.
    func key(_ monitor: Monitor) -> String { monitor == .valLoss && validation != nil ? "val_loss" : "loss" }

    mutating func run(model: inout Sequential, optimizer: inout some Optimizer, callbacks: [any TrainingCallback]) throws -> History {
        for epoch in options.initialEpoch..<options.epochs {
            // The state at the end of the last good epoch, restored if this one diverges.
            let goodWeights = ParameterSnapshot(model), goodOptimizer = optimizer
            if let s = options.schedule, plateau == nil { optimizer.learningRate = s.learningRate(epoch: epoch, base: baseLearningRate) }
            let learningRate = optimizer.learningRate
            let clock = Stopwatch()

            var stop = false
            var record: EpochRecord
            do {
                record = try trainEpoch(epoch, model: &model, optimizer: &optimizer, callbacks: callbacks, clock: clock, stop: &stop)
                if let validation {
                    var v = try model.evaluateChecked(validation.x, validation.y, loss: loss, metrics: options.metrics,
                                                      batchSize: options.validationBatchSize ?? options.batchSize)
                    v["loss"]! += model.l2Penalty(options.l2)
                    guard v["loss"]!.isFinite else { throw Divergence(problem: "non-finite validation loss (\(v["loss"]!))", batch: nil) }
                    for (k, value) in v { record.metrics["val_" + k] = value }
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

            // End of epoch: best epoch, early stopping, plateau schedule.
            let monitorKey = key(options.earlyStopping?.monitor ?? .valLoss)
            let monitored = record.metrics[monitorKey]!
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

            let context = EpochContext(epoch: epoch, epochs: options.epochs, record: record, model: model,
                                       optimizerState: optimizer.exportState(), history: history)
            var callbackStop = false
            for c in callbacks { try c.onEpochEnd(context, stop: &callbackStop) }
            if callbackStop && history.stopReason == .completed { history.stopReason = .callback }
            if stop || callbackStop { break }
        }
        if history.stopReason != .earlyStopping { restoreBest(into: &model) }
        for c in callbacks { try c.onTrainEnd(history: history, model: model) }
        return history
    }

    /// Puts back the best epoch's weights when early stopping asks for it.
    func restoreBest(into model: inout Sequential) {
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

    /// One pass over the shuffled training set.
    /// - Returns: the epoch's record with `loss`, metrics and `grad_norm`.
    mutating func trainEpoch(_ epoch: Int, model: inout Sequential, optimizer: inout some Optimizer,
                             callbacks: [any TrainingCallback], clock: Stopwatch, stop: inout Bool) throws -> EpochRecord {
        let n = trainX.shape[0], batchSize = min(options.batchSize, max(n, 1))   // a huge batch size is one batch
        let batches = (n + batchSize - 1) / batchSize
        // Shuffling and dropout of epoch e depend only on (seed, e), so a resumed run matches.
        var epochRNG = SeededGenerator(seed: options.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        var shuffleRNG = epochRNG.fork(), dropoutRNG = epochRNG.fork()
        var order = Array(0..<n)
        if options.shuffle {
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(shuffleRNG.next() % UInt64(i + 1))) }
        }

        var lossSum = 0.0, normSum = 0.0, seen = 0, steps = 0
        var metrics = options.metrics.map(MetricAccumulator.init)
        for b in 0..<batches {
            let lo = b * batchSize, hi = min(n, lo + batchSize)
            let xb: Tensor, yb: Tensor
            if options.shuffle {
                let rows = Array(order[lo..<hi])
                xb = trainX.gathering(rows); yb = trainY.gathering(rows)
            } else {
                xb = trainX.slice(lo..<hi); yb = trainY.slice(lo..<hi)
            }

            let step = try model.trainStep(xb, yb, loss: loss, options: options, optimizer: &optimizer, rng: &dropoutRNG, batch: b)
            let prediction = step.prediction, batchLoss = step.loss, norm = step.gradientNorm

            lossSum += batchLoss * Double(hi - lo)
            seen += hi - lo
            normSum += norm
            steps += 1
            for i in metrics.indices { metrics[i].add(prediction, yb) }
            for c in callbacks {
                try c.onBatchEnd(BatchContext(epoch: epoch, batch: b, batches: batches, loss: batchLoss, gradientNorm: norm), stop: &stop)
            }
            reporter.batch(epoch: epoch, batch: b + 1, batches: batches, elapsed: clock.elapsed, loss: lossSum / Double(seen))
            if stop {
                history.stopReason = .callback
                break
            }
        }
        var record = EpochRecord(epoch: epoch, metrics: ["loss": lossSum / Double(seen), "grad_norm": normSum / Double(steps)])
        for m in metrics { record.metrics[m.metric.rawValue] = m.value }
        return record
    }
}

/// A non-finite value found during an epoch (internal: `fit` turns it into `TrainingDiverged`).
struct Divergence: Error {
    var problem: String
    var batch: Int?

    /// The message `fit` stops with: what went wrong where, what to try, what was restored.
    func message(epoch: Int, clipping: GradientClipping?, learningRate: Float, restoredToStart: Bool) -> String {
        var text = problem + " at epoch \(epoch + 1)" + (batch.map { ", batch \($0 + 1)" } ?? "")
        text += clipping == nil ? "; try clipping: --clip-norm 1.0" : "; try a lower learning rate (now \(ProgressFormatter.number(Double(learningRate))))"
        text += restoredToStart ? "; the weights from the start of fit were restored" : "; weights restored to the end of epoch \(epoch)"
        return text
    }
}
