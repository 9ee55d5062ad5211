extension Sequential {
    /// The loss on `(x, y)` on the inference path (no dropout, no caches), in batches.
    public func evaluate(_ x: Tensor, _ y: Tensor, loss: Loss, batchSize: Int = 32) throws -> Double {
        try evaluate(x, y, loss: loss, metrics: [], batchSize: batchSize)["loss"]!
    }

    /// The loss and `metrics` on `(x, y)`, keyed `loss`, `mae`, `accuracy`, …
    public func evaluate(_ x: Tensor, _ y: Tensor, loss: Loss, metrics: [Metric], batchSize: Int = 32) throws -> [String: Double] {
        guard batchSize >= 1 else { throw ModelError.invalidConfiguration("batch size must be at least 1, got \(batchSize)") }
        try checkTrainingPair(x, y, names: ("x", "y"))
        return try evaluateChecked(x, y, loss: loss, metrics: metrics, batchSize: batchSize)
    }

    /// `evaluate` without input checks. Batch losses are weighted by their sample counts.
    func evaluateChecked(_ x: Tensor, _ y: Tensor, loss: Loss, metrics: [Metric], batchSize: Int) throws -> [String: Double] {
        let n = x.shape[0]
        var total = 0.0
        var accumulators = metrics.map(MetricAccumulator.init)
        var start = 0
        while start < n {
            let end = start + min(batchSize, n - start)
            let xb = x.slice(start..<end), yb = y.slice(start..<end)
            let p = infer(xb)
            total += try loss.value(p, yb) * Double(end - start)
            for i in accumulators.indices { accumulators[i].add(p, yb) }
            start = end
        }
        var out = ["loss": total / Double(n)]
        for a in accumulators { out[a.metric.rawValue] = a.value }
        return out
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
