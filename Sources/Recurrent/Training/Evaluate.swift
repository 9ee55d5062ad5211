extension Sequential {
    /// The loss on `(x, y)` on the inference path (no dropout, no caches), in batches. With
    /// `lengths` (right-padded sequences) padded steps are masked, and a many-to-many model
    /// (`y [B, T, …]`) counts only valid steps.
    public func evaluate(_ x: Tensor, _ y: Tensor, lengths: [Int]? = nil, loss: Loss, batchSize: Int = 32) throws -> Double {
        try evaluateChecking(TrainingSet(x: x, y: y, lengths: lengths), loss: loss, metrics: [], batchSize: batchSize)["loss"]!
    }

    /// The loss and `metrics` on `(x, y)`, keyed `loss`, `mae`, `accuracy`, …
    public func evaluate(_ x: Tensor, _ y: Tensor, loss: Loss, metrics: [Metric], batchSize: Int = 32) throws -> [String: Double] {
        try evaluateChecking(TrainingSet(x: x, y: y), loss: loss, metrics: metrics, batchSize: batchSize)
    }

    /// Checks the set, then scores it as the training loop scores validation data. Batch
    /// losses are weighted by their sample (or valid-step) counts.
    private func evaluateChecking(_ set: TrainingSet, loss: Loss, metrics: [Metric], batchSize: Int) throws -> [String: Double] {
        guard batchSize >= 1 else { throw ModelError.invalidConfiguration("batch size must be at least 1, got \(batchSize)") }
        try checkTrainingPair(set.x, set.y, names: ("x", "y"))
        try checkLengths(set.lengths, for: set.x)
        var model = self
        return try model.evaluate(set, loss: loss, metrics: metrics, batchSize: batchSize, carryingState: false)
    }

    /// The model's output shape (no batch dimension) for inputs shaped like `x`.
    func outputShape(forInput x: Tensor) throws -> [Int] {
        var shape = Array(x.shape.dropFirst())
        for layer in layers { shape = try layer.outputShape(for: shape) }
        return shape
    }

    /// Checks inputs and targets: `x` valid for the model, same sample count, `y` shaped like
    /// the model's output, all finite.
    func checkTrainingPair(_ x: Tensor, _ y: Tensor, names: (String, String)) throws {
        try validate(input: x, name: names.0)
        guard y.rank >= 1, y.shape[0] == x.shape[0] else {
            throw ModelError.shapeMismatch("\(names.0) has \(x.shape[0]) samples but \(names.1) has \(y.rank >= 1 ? y.shape[0] : 0) (shapes \(x.shape) and \(y.shape))")
        }
        let expected = try outputShape(forInput: x)
        guard Array(y.shape.dropFirst()) == expected else {
            throw ModelError.shapeMismatch("\(names.1) has shape \(y.shape); the model outputs [batch, \(expected.map(String.init).joined(separator: ", "))]")
        }
        if let bad = y.scalars.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.nonFinite("\(names.1) contains a non-finite value (\(y.scalars[bad])) at flat index \(bad)")
        }
    }
}
