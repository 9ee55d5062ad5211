/// Right-padded batches of sequences of different lengths (masking).
///
/// A batch `[B, T, F]` holds sequences of `lengths[b]` ≤ T valid steps followed by padding.
/// Every recurrent layer then stops updating its state after a sequence's last valid step
/// and outputs zeros at padded steps, so each sequence gives exactly what it gives alone
/// (its final state is the state after its own last step). Per-step heads (`Dense` on
/// `[B, T, H]`) still compute something at padded steps: weight the loss with
/// `Sequential.stepMask(lengths:steps:)` so padding does not count.
extension Sequential {
    /// Checks that `lengths` has one entry per sequence of `x [B, T, F]`, each in 0…T.
    public func checkLengths(_ lengths: [Int]?, for x: Tensor) throws {
        guard let lengths else { return }
        guard x.rank == 3 else {
            throw ModelError.shapeMismatch("lengths need a sequence input [batch, time, features], got \(x.shape)")
        }
        guard lengths.count == x.shape[0] else {
            throw ModelError.shapeMismatch("lengths has \(lengths.count) entries but the batch has \(x.shape[0]) sequences")
        }
        if let k = lengths.firstIndex(where: { $0 < 0 || $0 > x.shape[1] }) {
            throw ModelError.shapeMismatch("lengths[\(k)] = \(lengths[k]) is outside 0…\(x.shape[1]) (the batch has \(x.shape[1]) steps)")
        }
        if layers.contains(where: { $0 is Bidirectional }) {
            throw ModelError.invalidConfiguration("Bidirectional layers do not support lengths (masking) yet")
        }
    }

    /// A 0/1 loss mask `[B, T]`: 1 at the valid steps of each sequence, 0 at padding. Pass it
    /// as `weights` to `Loss` so a many-to-many head averages over valid steps only.
    public static func stepMask(lengths: [Int], steps: Int) -> Tensor {
        var mask = Tensor(shape: [lengths.count, steps])
        for (b, n) in lengths.enumerated() {
            for t in 0..<min(max(n, 0), steps) { mask.scalars[b * steps + t] = 1 }
        }
        return mask
    }

    /// Inference on a padded batch `x [B, T, F]` with `lengths[b]` valid steps each; no caches.
    public func infer(_ x: Tensor, lengths: [Int]?) -> Tensor {
        guard let lengths else { return infer(x) }
        var h = x
        for layer in layers {
            if let r = layer as? any RecurrentLayer {
                h = r.call(h, lengths: lengths).output
            } else {
                h = layer.infer(h)
            }
        }
        return h
    }

    /// `predict` for a padded batch: validates `x` and `lengths`, then runs in chunks.
    /// - Returns: the model's output, `[B, …]`.
    public func predict(_ x: Tensor, lengths: [Int]?, batchSize: Int? = nil) throws -> Tensor {
        guard let lengths else { return try predict(x, batchSize: batchSize) }
        try validate(input: x)
        try checkLengths(lengths, for: x)
        let n = x.shape[0], chunk = max(1, batchSize ?? n)
        var parts: [Tensor] = []
        var start = 0
        while start < n {
            let end = min(n, start + chunk)
            parts.append(infer(x.slice(start..<end), lengths: Array(lengths[start..<end])))
            start = end
        }
        if parts.count == 1 { return parts[0] }
        var shape = parts[0].shape
        shape[0] = n
        return Tensor(shape: shape, scalars: parts.flatMap { $0.scalars })
    }

    /// Training forward pass on a padded batch: keeps the caches `backward(_:)` needs, which
    /// then also respects the lengths (no gradient enters or leaves padded steps).
    /// - Throws: `ModelError` when `lengths` does not match `x`.
    public mutating func forward(_ x: Tensor, lengths: [Int]?, rng: inout SeededGenerator) throws -> Tensor {
        guard let lengths else { return forward(x, rng: &rng) }
        try checkLengths(lengths, for: x)
        var h = x
        for i in layers.indices {
            if var r = layers[i] as? any RecurrentLayer {
                h = r.forwardWithState(h, lengths: lengths).output
                layers[i] = r
            } else {
                h = layers[i].forward(h, rng: &rng)
            }
        }
        return h
    }

    /// The loss on a padded set `(x, y)` on the inference path, in batches. With a
    /// many-to-many model (`y [B, T, …]`) only valid steps count.
    public func evaluate(_ x: Tensor, _ y: Tensor, lengths: [Int]?, loss: Loss, batchSize: Int = 32) throws -> Double {
        guard let lengths else { return try evaluate(x, y, loss: loss, batchSize: batchSize) }
        guard batchSize >= 1 else { throw ModelError.invalidConfiguration("batch size must be at least 1, got \(batchSize)") }
        try checkTrainingPair(x, y, names: ("x", "y"))
        try checkLengths(lengths, for: x)
        let perStep = y.rank >= 3 && y.shape[1] == x.shape[1]
        var total = 0.0, weight = 0.0
        var start = 0
        while start < x.shape[0] {
            let end = start + min(batchSize, x.shape[0] - start)
            let part = Array(lengths[start..<end])
            let p = infer(x.slice(start..<end), lengths: part)
            let w = perStep ? Self.stepMask(lengths: part, steps: x.shape[1]) : nil
            let mass = perStep ? Double(part.reduce(0, +)) : Double(end - start)
            if mass > 0 {
                total += try loss.value(p, y.slice(start..<end), weights: w) * mass
                weight += mass
            }
            start = end
        }
        guard weight > 0 else { throw ModelError.invalidConfiguration("every sequence has length 0: nothing to evaluate") }
        return total / weight
    }
}
