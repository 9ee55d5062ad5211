import Forecast
import Recurrent

/// The adding problem (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015), a test of
/// long memory.
///
/// Each sample has T steps of two features: a number drawn from U(0, 1) and a marker that is
/// 1 at exactly two steps (one in the first half, one in the second half) and 0 elsewhere.
/// The target is the sum of the two marked numbers. Predicting 1 (the mean of the sum)
/// always gives MSE = Var(U₁ + U₂) = 2/12 ≈ 0.167, the baseline a model must beat; solving
/// it means carrying the first marked number across up to T steps.
public enum AddingProblem {
    /// The MSE of always predicting 1: 1/6.
    public static let baselineMSE = 1.0 / 6.0

    /// Generates `samples` sequences of `steps` steps.
    /// - Returns: `x [N, T, 2]` (value, marker) and `y [N, 1]` (the sum of the two marked values).
    public static func make(samples: Int, steps: Int, seed: UInt64) throws -> (x: Tensor, y: Tensor) {
        guard samples >= 1 else { throw AddingProblemError("the adding problem needs at least 1 sample, got \(samples)") }
        guard steps >= 2 else { throw AddingProblemError("the adding problem needs at least 2 steps, got \(steps)") }
        var rng = SeededGenerator(seed: seed)
        var x = [Float](repeating: 0, count: samples * steps * 2)
        var y = [Float](repeating: 0, count: samples)
        let half = steps / 2
        for n in 0..<samples {
            let base = n * steps * 2
            for t in 0..<steps { x[base + 2 * t] = rng.nextUniform() }
            let first = Int(rng.next() % UInt64(half))
            let second = half + Int(rng.next() % UInt64(steps - half))
            x[base + 2 * first + 1] = 1
            x[base + 2 * second + 1] = 1
            y[n] = x[base + 2 * first] + x[base + 2 * second]
        }
        return (Tensor(shape: [samples, steps, 2], scalars: x), Tensor(shape: [samples, 1], scalars: y))
    }
}

/// A bad setting for the adding problem or the gradient study.
public struct AddingProblemError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
