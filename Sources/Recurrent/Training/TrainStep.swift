extension Sequential {
    /// The result of one optimisation step.
    struct StepResult {
        var prediction: Tensor
        /// The batch loss, L2 penalty included.
        var loss: Double
        /// The global gradient norm before clipping.
        var gradientNorm: Double
    }

    /// One optimisation step on a batch, shared by every fit loop: forward (dropout from
    /// `rng`; padded steps masked when `lengths` is given), loss, BPTT, finiteness checks,
    /// L2 gradient, clipping, optimizer update.
    /// - Throws: `Divergence` naming the first non-finite loss, gradient or weight.
    mutating func trainStep(_ x: Tensor, _ y: Tensor, lengths: [Int]? = nil, weights: Tensor? = nil, loss: Loss,
                            options: FitOptions, optimizer: inout some Optimizer, rng: inout SeededGenerator,
                            batch: Int) throws -> StepResult {
        zeroGradients()
        let prediction = try forward(x, lengths: lengths, rng: &rng)
        let result = try loss(prediction, y, weights: weights)
        guard result.value.isFinite else {
            if let bad = firstNonFinite(inGradients: false) {
                throw Divergence(problem: "non-finite weight in \(bad.name) (\(bad.layerType))", batch: batch)
            }
            throw Divergence(problem: "non-finite loss (\(result.value))", batch: batch)
        }
        backward(result.gradient)
        if let bad = firstNonFinite(inGradients: true) {
            throw Divergence(problem: "non-finite gradient in \(bad.name) (\(bad.layerType))", batch: batch)
        }
        let batchLoss = result.value + addL2Penalty(options.l2)
        let norm = clipGradients(options.clipping)
        optimizer.step(&self)
        if let bad = firstNonFinite(inGradients: false) {
            throw Divergence(problem: "non-finite weight in \(bad.name) (\(bad.layerType)) after the update", batch: batch)
        }
        return StepResult(prediction: prediction, loss: batchLoss, gradientNorm: norm)
    }
}
