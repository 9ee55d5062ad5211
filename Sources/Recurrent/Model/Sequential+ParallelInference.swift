import Dispatch

extension Sequential {
    /// Rows per part below which splitting a batch across threads costs more than it saves.
    static let minimumRowsPerInferencePart = 64

    /// How many threads `predict` runs a batch of `rows` on: the kernel thread count, fewer
    /// when the parts would be small.
    static func inferenceParts(rows: Int) -> Int {
        let threads = Kernels.threads
        guard threads > 1 else { return 1 }
        return max(1, min(threads, rows / minimumRowsPerInferencePart))
    }

    /// Inference with the batch split into `parts` contiguous row blocks, each run on its own
    /// thread through every layer (in chunks of `chunk` rows) with its kernels on that thread.
    /// The threads meet once, at the end, instead of once per matrix product and time step;
    /// every row's arithmetic is the same as in a single-threaded run.
    func inferInParts(_ x: Tensor, parts: Int, chunk: Int) -> Tensor {
        let n = x.shape[0]
        let bounds = (0...parts).map { n * $0 / parts }
        var outputs = [Tensor?](repeating: nil, count: parts)
        outputs.withUnsafeMutableBufferPointer { slots in
            let out = DisjointSlots(buffer: slots)
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let part = x.slice(bounds[p]..<bounds[p + 1])
                out.buffer[p] = Kernels.onThisThreadOnly { inferInChunks(part, chunk: chunk) }
            }
        }
        let results = outputs.map { $0! }
        var shape = results[0].shape
        shape[0] = n
        var scalars: [Float] = []
        scalars.reserveCapacity(results.reduce(0) { $0 + $1.scalars.count })
        for r in results { scalars += r.scalars }
        return Tensor(shape: shape, scalars: scalars)
    }
}

/// Result slots that parallel iterations fill, each iteration only its own index; the
/// buffer outlives the `concurrentPerform` that writes it.
private struct DisjointSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}
