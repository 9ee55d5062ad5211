/// Arranges one long series for stateful training.
public enum StatefulBatches {
    /// Cuts `series [L, F]` with per-step `targets [L, O]` into `streams` parallel streams
    /// of consecutive windows of `steps`, ordered so that batch k (rows `k·streams ..< (k+1)·streams`)
    /// continues batch k − 1 row by row. Train with batch size `streams` and
    /// `SequenceOptions(stateful: true)`.
    /// - Returns: `x [N, steps, F]`, `y [N, steps, O]` with N = streams · windows per stream.
    public static func make(series: Tensor, targets: Tensor, streams: Int, steps: Int) throws -> (x: Tensor, y: Tensor) {
        guard series.rank == 2, targets.rank == 2, series.shape[0] == targets.shape[0] else {
            throw ModelError.shapeMismatch("stateful batches need series [L, F] and targets [L, O] of equal length, got \(series.shape) and \(targets.shape)")
        }
        guard streams >= 1, steps >= 1 else { throw ModelError.invalidConfiguration("streams and steps must be positive, got \(streams) and \(steps)") }
        let length = series.shape[0], f = series.shape[1], o = targets.shape[1]
        let windows = length / streams / steps
        guard windows >= 1 else {
            throw ModelError.shapeMismatch("a series of \(length) steps is too short for \(streams) streams of \(steps)-step windows")
        }
        let perStream = windows * steps
        var x = [Float](), y = [Float]()
        x.reserveCapacity(streams * perStream * f)
        y.reserveCapacity(streams * perStream * o)
        for w in 0..<windows {
            for s in 0..<streams {
                let start = s * perStream + w * steps
                x += series.scalars[(start * f)..<((start + steps) * f)]
                y += targets.scalars[(start * o)..<((start + steps) * o)]
            }
        }
        return (Tensor(shape: [windows * streams, steps, f], scalars: x), Tensor(shape: [windows * streams, steps, o], scalars: y))
    }
}
