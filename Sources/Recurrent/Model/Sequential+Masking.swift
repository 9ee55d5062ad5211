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
}
