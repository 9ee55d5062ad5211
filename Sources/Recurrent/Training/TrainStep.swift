/// The result of one optimisation step.
struct StepResult {
    var prediction: Tensor
    /// The batch loss, L2 penalty included.
    var loss: Double
    /// The global gradient norm before clipping.
    var gradientNorm: Double
}

extension Trainable {
    /// One optimisation step on a batch: forward (dropout from `rng`; padded steps masked when
    /// the batch has lengths), loss (weighted by the step mask of a masked many-to-many
    /// target), BPTT, finiteness checks, L2 gradient, clipping, optimizer update.
    /// - Throws: `Divergence` naming the first non-finite loss, gradient or weight.
    mutating func trainStep(_ batch: TrainingSet, loss: Loss, options: FitOptions, optimizer: inout some Optimizer,
                            rng: inout SeededGenerator, index: Int) throws -> StepResult {
        zeroGradients()
        let prediction = try trainingForward(batch, rng: &rng)
        let result = try loss(prediction, batch.y, weights: batch.weights)
        guard result.value.isFinite else {
            if let bad = firstNonFinite(inGradients: false) {
                throw Divergence(problem: "non-finite weight in \(bad.name) (\(bad.layerType))", batch: index)
            }
            throw Divergence(problem: "non-finite loss (\(result.value))", batch: index)
        }
        backward(result.gradient)
        if let bad = firstNonFinite(inGradients: true) {
            throw Divergence(problem: "non-finite gradient in \(bad.name) (\(bad.layerType))", batch: index)
        }
        let batchLoss = result.value + addL2Penalty(options.l2)
        let norm = clipGradients(options.clipping)
        optimizer.step(&self)
        if let bad = firstNonFinite(inGradients: false) {
            throw Divergence(problem: "non-finite weight in \(bad.name) (\(bad.layerType)) after the update", batch: index)
        }
        return StepResult(prediction: prediction, loss: batchLoss, gradientNorm: norm)
    }
}

/// A non-finite value found during an epoch (internal: the loop turns it into `TrainingDiverged`).
struct Divergence: Error {
    var problem: String
    var batch: Int?
}
