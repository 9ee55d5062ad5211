import XCTest
@testable import Recurrent

/// Helpers shared by the training tests.
enum TrainingFixtures {
    /// A tensor of `shape` with uniform values in [low, high), seeded.
    static func uniform(_ shape: [Int], _ low: Float, _ high: Float, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in rng.nextUniform(low, high) })
    }

    /// Rows of one-hot vectors over `classes`.
    static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
        var t = Tensor(shape: [labels.count, classes])
        for (r, l) in labels.enumerated() { t[r, l] = 1 }
        return t
    }

    /// Every parameter value of a model, flattened in `namedParameters` order.
    static func weights(_ model: Sequential) -> [[Float]] { model.namedParameters.map(\.parameter.value.scalars) }

    /// Windows of a sine: x `[n, steps, 1]` and the next value y `[n, 1]`.
    static func sine(samples n: Int, steps: Int) -> (x: Tensor, y: Tensor) {
        var xs: [Float] = [], ys: [Float] = []
        for s in 0..<n {
            for t in 0...steps {
                let v = Float(sin(Double(s + t) * 0.4))
                if t < steps { xs.append(v) } else { ys.append(v) }
            }
        }
        return (Tensor(shape: [n, steps, 1], scalars: xs), Tensor(shape: [n, 1], scalars: ys))
    }
}

/// Asserts `a ≈ b` within `rel` relative tolerance plus `abs` absolute floor.
func assertClose(_ a: Double, _ b: Double, rel: Double = 1e-5, abs absTol: Double = 1e-7, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssert(Swift.abs(a - b) <= rel * max(Swift.abs(a), Swift.abs(b)) + absTol, "\(a) vs \(b) \(message)", file: file, line: line)
}
