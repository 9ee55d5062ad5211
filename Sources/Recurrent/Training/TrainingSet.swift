/// Inputs, targets and optional per-sample lengths: what the training loop cuts into batches.
struct TrainingSet {
    var x: Tensor, y: Tensor
    /// Valid steps of each sequence (right padding), nil when every sequence is full.
    var lengths: [Int]?

    var count: Int { x.shape[0] }

    func slice(_ r: Range<Int>) -> TrainingSet {
        TrainingSet(x: x.slice(r), y: y.slice(r), lengths: lengths.map { Array($0[r]) })
    }

    func gathering(_ rows: [Int]) -> TrainingSet {
        TrainingSet(x: x.gathering(rows), y: y.gathering(rows), lengths: lengths.map { l in rows.map { l[$0] } })
    }

    /// True when the loss is masked: lengths given and a many-to-many target.
    var isMasked: Bool { lengths != nil && y.rank >= 3 && y.shape[1] == x.shape[1] }

    /// The loss mask `[B, T]` for a many-to-many target, nil otherwise or without lengths.
    var weights: Tensor? {
        guard isMasked, let lengths else { return nil }
        return Sequential.stepMask(lengths: lengths, steps: x.shape[1])
    }

    /// How much this batch weighs in an epoch average: valid steps for a masked
    /// many-to-many target, else samples.
    var mass: Double {
        if isMasked, let lengths { return Double(lengths.reduce(0, +)) }
        return Double(count)
    }

    /// Splits off the validation part of `options.validation` when it is `.split` (the last
    /// samples, taken before any shuffling, as Keras does; trimmed so the training part is whole
    /// batches when `stateful`). `.data` is checked and turned into a set by the caller.
    func splittingValidation(_ options: FitOptions, stateful: Bool) throws -> (train: TrainingSet, validation: TrainingSet?) {
        guard case .split(let fraction) = options.validation else { return (self, nil) }
        let n = count
        var cut = Int((Double(n) * (1 - fraction)).rounded(.down))
        if stateful { cut -= cut % options.batchSize }
        guard cut > 0, cut < n else {
            throw ModelError.invalidConfiguration("validation split \(fraction) of \(n) samples leaves an empty training or validation set")
        }
        return (slice(0..<cut), slice(cut..<n))
    }
}
