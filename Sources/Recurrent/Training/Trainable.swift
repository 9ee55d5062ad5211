/// What the one training loop (`TrainingLoop`) needs of a model beyond its parameters: a
/// training forward pass that keeps caches, backpropagation, and an inference pass for
/// validation. `Sequential` and `EncoderDecoder` conform.
protocol Trainable: ParameterContainer {
    /// The training forward pass on one batch, keeping what `backward` needs; dropout draws
    /// from `rng`. A model that is fed its targets (teacher forcing) reads `batch.y`.
    mutating func trainingForward(_ batch: TrainingSet, rng: inout SeededGenerator) throws -> Tensor
    /// Backpropagates dL/d(output) of the last `trainingForward`, accumulating gradients.
    @discardableResult
    mutating func backward(_ outputGradient: Tensor) -> Tensor
    mutating func zeroGradients()
    /// Predictions on the inference path (no dropout, no caches). With `carryingState`,
    /// stateful layers start from the state the previous call left and keep their final one.
    mutating func inferencePrediction(_ batch: TrainingSet, carryingState: Bool) throws -> Tensor
    /// Forgets states carried between batches.
    mutating func resetStates()
    /// Drops what the training passes kept for backpropagation (fit ends with it, so a trained
    /// model does not carry its last batch's activations).
    mutating func releaseTrainingCaches()
    /// The first parameter whose value (or gradient) is not finite, with its layer type.
    func firstNonFinite(inGradients: Bool) -> (name: String, layerType: String)?
}

extension Trainable {
    /// The loss (and `metrics`) of `set` on the inference path, in batches of `batchSize`,
    /// each weighted by its mass (samples, or valid steps of a masked many-to-many target).
    /// With `carryingState` the set is read in order from a reset state, as a stateful
    /// model reads a long series.
    /// - Returns: `loss`, `mae`, … keyed as in `EpochRecord`.
    mutating func evaluate(_ set: TrainingSet, loss: Loss, metrics: [Metric], batchSize: Int,
                           carryingState: Bool) throws -> [String: Double] {
        if carryingState { resetStates() }
        defer { if carryingState { resetStates() } }
        var total = 0.0, mass = 0.0
        var accumulators = metrics.map(MetricAccumulator.init)
        var start = 0
        while start < set.count {
            let part = set.slice(start..<min(set.count, start + batchSize))
            start += batchSize
            let p = try inferencePrediction(part, carryingState: carryingState)
            for i in accumulators.indices { accumulators[i].add(p, part.y) }
            let partMass = part.mass
            guard partMass > 0 else { continue }
            total += try loss.value(p, part.y, weights: part.weights) * partMass
            mass += partMass
        }
        guard mass > 0 else { throw ModelError.invalidConfiguration("every sequence has length 0: nothing to evaluate") }
        var out = ["loss": total / mass]
        for a in accumulators { out[a.metric.rawValue] = a.value }
        return out
    }
}

extension Sequential: Trainable {
    mutating func trainingForward(_ batch: TrainingSet, rng: inout SeededGenerator) throws -> Tensor {
        try forward(batch.x, lengths: batch.lengths, rng: &rng)
    }

    mutating func inferencePrediction(_ batch: TrainingSet, carryingState: Bool) throws -> Tensor {
        carryingState ? inferCarryingState(batch.x, lengths: batch.lengths) : infer(batch.x, lengths: batch.lengths)
    }

    func firstNonFinite(inGradients: Bool) -> (name: String, layerType: String)? {
        Self.firstNonFinite(in: layers, named: { "layers.\($0)" }, inGradients: inGradients)
    }
}

extension EncoderDecoder: Trainable {
    mutating func releaseTrainingCaches() {
        encoder.releaseTrainingCaches()
        decoder.releaseTrainingCaches()
        head.releaseTrainingCaches()
    }

    /// Teacher forcing: the decoder reads the true previous targets of `batch.y`.
    mutating func trainingForward(_ batch: TrainingSet, rng: inout SeededGenerator) throws -> Tensor {
        forwardTeacherForced(batch.x, batch.y)
    }

    /// Free-running decoding of as many steps as the targets have.
    mutating func inferencePrediction(_ batch: TrainingSet, carryingState: Bool) throws -> Tensor {
        try predict(batch.x, steps: batch.y.shape[1])
    }

    mutating func resetStates() {
        encoder.resetStates()
        decoder.resetStates()
    }

    func firstNonFinite(inGradients: Bool) -> (name: String, layerType: String)? {
        Sequential.firstNonFinite(in: [encoder, decoder, head], named: { ["encoder", "decoder", "head"][$0] }, inGradients: inGradients)
    }
}

extension Sequential {
    /// The first parameter (named `prefix(i).name` for the i-th layer) among `layers` whose
    /// value, or gradient, is not finite. It runs every training step, so a name is formed only
    /// for the parameter it reports.
    static func firstNonFinite(in layers: [any Layer], named prefix: (Int) -> String,
                               inGradients: Bool) -> (name: String, layerType: String)? {
        for (index, layer) in layers.enumerated() {
            for p in layer.parameters where !(inGradients ? p.gradient : p.value).isFinite {
                return ("\(prefix(index)).\(p.name)", layer.config.type)
            }
        }
        return nil
    }
}
