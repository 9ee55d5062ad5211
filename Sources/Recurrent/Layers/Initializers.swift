/// Keras' default initialisers, drawn from an explicit seeded generator.
enum Initializers {
    /// False while a model is built only to receive stored weights (`ModelFile`): the
    /// initialisers then return zeros without drawing, so loading a large model does not pay
    /// for the O(rows·cols²) orthogonalisation of weights it overwrites at once.
    @TaskLocal static var drawsRandomValues = true

    /// Glorot (Xavier) uniform: U(−l, l), l = √(6 / (fanIn + fanOut)).
    static func glorotUniform(shape: [Int], fanIn: Int, fanOut: Int, rng: inout SeededGenerator) -> Tensor {
        let n = shape.reduce(1, *)
        guard drawsRandomValues else { return Tensor(shape: shape, scalars: [Float](repeating: 0, count: n)) }
        let limit = (6.0 / Float(fanIn + fanOut)).squareRoot()
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = rng.nextUniform(-limit, limit) }
        return Tensor(shape: shape, scalars: values)
    }

    /// A `[rows, cols]` matrix with orthonormal columns (rows ≥ cols) or rows, as Keras'
    /// `Orthogonal`: Gram–Schmidt on a standard normal matrix, signs fixed as in QR.
    static func orthogonal(rows: Int, cols: Int, rng: inout SeededGenerator) -> Tensor {
        guard drawsRandomValues else { return Tensor(shape: [rows, cols], scalars: [Float](repeating: 0, count: rows * cols)) }
        let tall = rows >= cols
        let (r, c) = tall ? (rows, cols) : (cols, rows)
        // Work column by column on an r×c matrix stored column-major in `q`.
        var q = [Double](repeating: 0, count: r * c)
        for i in 0..<(r * c) { q[i] = Double(rng.nextNormal()) }
        for j in 0..<c {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<r { dot += q[j * r + i] * q[k * r + i] }
                for i in 0..<r { q[j * r + i] -= dot * q[k * r + i] }
            }
            var norm = 0.0
            for i in 0..<r { norm += q[j * r + i] * q[j * r + i] }
            norm = norm.squareRoot()
            if norm < 1e-12 { norm = 1 }
            for i in 0..<r { q[j * r + i] /= norm }
        }
        var out = [Float](repeating: 0, count: rows * cols)
        for i in 0..<r {
            for j in 0..<c {
                if tall { out[i * cols + j] = Float(q[j * r + i]) } else { out[j * cols + i] = Float(q[j * r + i]) }
            }
        }
        return Tensor(shape: [rows, cols], scalars: out)
    }
}
