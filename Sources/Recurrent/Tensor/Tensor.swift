/// A dense, row-major Float32 array with a shape.
///
/// Shapes are written with letters in doc comments: `[B, T, F]` is batch, time, features;
/// `H` hidden units; `G` gates (1 SimpleRNN, 3 GRU, 4 LSTM).
public struct Tensor: Equatable, Sendable, CustomStringConvertible {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Creates a tensor from its shape and elements.
    /// - Precondition: the element count matches the shape.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows of unequal length")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Element access by full index.
    public subscript(_ index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, extent) in zip(index, shape) {
            precondition(i >= 0 && i < extent, "index \(index) out of range for shape \(shape)")
            flat = flat * extent + i
        }
        return flat
    }

    /// Rows `range` of the outermost dimension, as a tensor.
    public func slice(_ range: Range<Int>) -> Tensor {
        let inner = shape.dropFirst().reduce(1, *)
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * inner)..<(range.upperBound * inner)]))
    }

    /// The rows at `indices` of the outermost dimension, in that order.
    public func gathering(_ indices: [Int]) -> Tensor {
        let inner = shape.dropFirst().reduce(1, *)
        var out = [Float]()
        out.reserveCapacity(indices.count * inner)
        for i in indices { out.append(contentsOf: scalars[(i * inner)..<((i + 1) * inner)]) }
        var newShape = shape
        newShape[0] = indices.count
        return Tensor(shape: newShape, scalars: out)
    }

    /// True when every element is finite.
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    public var description: String { "Tensor(shape: \(shape), \(scalars.prefix(8))\(count > 8 ? "…" : ""))" }
}

extension Tensor {
    /// Swaps the first two dimensions: `[A, B, rest…]` → `[B, A, rest…]`.
    /// Used to move between batch-first `[B, T, F]` and time-major `[T, B, F]`.
    public func swappingFirstTwoAxes() -> Tensor {
        precondition(rank >= 2)
        let a = shape[0], b = shape[1], inner = shape.dropFirst(2).reduce(1, *)
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<a {
                    for j in 0..<b {
                        let s = (i * b + j) * inner, d = (j * a + i) * inner
                        for k in 0..<inner { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        var newShape = shape
        newShape.swapAt(0, 1)
        return Tensor(shape: newShape, scalars: out)
    }
}
