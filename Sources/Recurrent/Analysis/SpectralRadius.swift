import RealModule
/// The spectral radius ρ(A) = max |λ| of a square matrix, which need not be symmetric.
///
/// Uses Gelfand's formula ρ(A) = lim ‖A^k‖^{1/k} with k = 2^m by repeated squaring in
/// Double: B₀ = A/‖A‖, B_{m+1} = B_m²/‖B_m²‖, log ρ ≈ (log of the product of the scales)/2^m.
/// Rescaling keeps every power finite, so radii far from 1 are fine. With k = 2^40 the
/// polynomial factor of a Jordan block (k^{n−1})^{1/k} is 1 to double precision for any
/// size used here. A nilpotent matrix gives 0.
public enum SpectralRadius {
    /// ρ of `matrix [n, n]`.
    /// - Parameter squarings: m, so k = 2^m (default 40).
    public static func of(_ matrix: Tensor, squarings: Int = 40) -> Double {
        precondition(matrix.rank == 2 && matrix.shape[0] == matrix.shape[1], "spectral radius needs a square matrix, got \(matrix.shape)")
        return of(rows: matrix.shape[0], scalars: matrix.scalars.map(Double.init), squarings: squarings)
    }

    /// ρ of the row-major `n × n` matrix `scalars`.
    public static func of(rows n: Int, scalars: [Double], squarings: Int = 40) -> Double {
        precondition(scalars.count == n * n, "expected \(n * n) values, got \(scalars.count)")
        guard n > 0 else { return 0 }
        var b = scalars
        var logScale = 0.0  // log of the factor removed so far, in units of the current power
        var power = 1.0
        func normalize(_ m: inout [Double]) -> Double? {
            let f = m.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard f > 0, f.isFinite else { return nil }
            for i in m.indices { m[i] /= f }
            return Double.log(f)
        }
        guard let first = normalize(&b) else { return 0 }
        logScale = first
        var c = [Double](repeating: 0, count: n * n)
        for _ in 0..<squarings {
            for i in 0..<n {
                for j in 0..<n { c[i * n + j] = 0 }
                for k in 0..<n {
                    let a = b[i * n + k]
                    if a == 0 { continue }
                    for j in 0..<n { c[i * n + j] += a * b[k * n + j] }
                }
            }
            power *= 2
            // ‖A^{2p}‖ = ‖A^p‖² · ‖B²‖ in log terms: logScale/p per step stays the estimate.
            guard let s = normalize(&c) else { return 0 }
            logScale = 2 * logScale + s
            swap(&b, &c)
        }
        return Double.exp(logScale / power)
    }

    /// Radii of the square blocks of a recurrent weight `[G·H, H]` (PyTorch layout), one per
    /// gate in PyTorch's order (LSTM i, f, g, o; GRU r, z, n; SimpleRNN the single matrix).
    public static func ofGateBlocks(_ weight: Tensor) -> [Double] {
        precondition(weight.rank == 2 && weight.shape[0] % weight.shape[1] == 0, "expected a [G·H, H] weight, got \(weight.shape)")
        let h = weight.shape[1], g = weight.shape[0] / h
        return (0..<g).map { block in
            of(rows: h, scalars: weight.scalars[(block * h * h)..<((block + 1) * h * h)].map(Double.init))
        }
    }
}
