import XCTest
@testable import Recurrent

final class LossTests: XCTestCase {
    /// Central differences of the loss value against the analytic gradient, element by element.
    private func checkGradient(_ loss: Loss, _ p: Tensor, _ y: Tensor, weights: Tensor? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let analytic = try loss(p, y, weights: weights).gradient
        XCTAssertEqual(analytic.shape, p.shape, file: file, line: line)
        for i in 0..<p.count {
            var plus = p, minus = p
            plus.scalars[i] += 1e-3
            minus.scalars[i] -= 1e-3
            let h = Double(plus.scalars[i]) - Double(minus.scalars[i])
            let numeric = (try loss.value(plus, y, weights: weights) - loss.value(minus, y, weights: weights)) / h
            assertClose(numeric, Double(analytic.scalars[i]), rel: 1e-2, abs: 1e-5, "\(loss) element \(i)", file: file, line: line)
        }
    }

    func testMeanSquaredErrorValueAndGradient() throws {
        let p = Tensor(rows: [[1, 2], [3, 5]]), y = Tensor(rows: [[0, 2], [4, 3]])
        let r = try Loss.meanSquaredError(p, y)
        XCTAssertEqual(r.value, (1 + 0 + 1 + 4) / 4, accuracy: 1e-12)
        XCTAssertEqual(r.gradient.scalars, [0.5, 0, -0.5, 1])
        try checkGradient(.meanSquaredError, TrainingFixtures.uniform([3, 2, 4], -1, 1, seed: 1), TrainingFixtures.uniform([3, 2, 4], -1, 1, seed: 2))
    }

    func testMeanAbsoluteError() throws {
        let p = Tensor(rows: [[1, 2], [3, 5]]), y = Tensor(rows: [[0, 2.5], [4, 3]])
        XCTAssertEqual(try Loss.meanAbsoluteError.value(p, y), (1 + 0.5 + 1 + 2) / 4, accuracy: 1e-12)
        // Away from the kink at p = y.
        var q = TrainingFixtures.uniform([4, 3], -1, 1, seed: 3)
        let t = TrainingFixtures.uniform([4, 3], -1, 1, seed: 4)
        for i in q.scalars.indices where abs(q.scalars[i] - t.scalars[i]) < 0.01 { q.scalars[i] += 0.05 }
        try checkGradient(.meanAbsoluteError, q, t)
    }

    func testHuberTransition() throws {
        let loss = Loss.huber(delta: 1)
        let y = Tensor(shape: [1, 1], scalars: [0])
        // Quadratic inside delta, linear outside, continuous at |x| = delta.
        XCTAssertEqual(try loss.value(Tensor(shape: [1, 1], scalars: [0.5]), y), 0.125, accuracy: 1e-9)
        XCTAssertEqual(try loss.value(Tensor(shape: [1, 1], scalars: [3]), y), 2.5, accuracy: 1e-9)
        XCTAssertEqual(try loss.value(Tensor(shape: [1, 1], scalars: [-3]), y), 2.5, accuracy: 1e-9)
        XCTAssertEqual(try loss.value(Tensor(shape: [1, 1], scalars: [1]), y), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try loss(Tensor(shape: [1, 1], scalars: [0.5]), y).gradient.scalars, [0.5])
        XCTAssertEqual(try loss(Tensor(shape: [1, 1], scalars: [3]), y).gradient.scalars, [1])
        XCTAssertEqual(try Loss.huber(delta: 2)(Tensor(shape: [1, 1], scalars: [-3]), y).gradient.scalars, [-2])
        var p = TrainingFixtures.uniform([4, 3], -3, 3, seed: 5)
        for i in p.scalars.indices where abs(abs(p.scalars[i]) - 1) < 0.01 { p.scalars[i] += 0.05 }
        try checkGradient(loss, p, Tensor(shape: [4, 3]))
    }

    func testBinaryCrossEntropyOnProbabilities() throws {
        let p = Tensor(rows: [[0.8, 0.3]]), y = Tensor(rows: [[1, 0]])
        XCTAssertEqual(try Loss.binaryCrossEntropy().value(p, y), -(log(0.8) + log(0.7)) / 2, accuracy: 1e-6)
        try checkGradient(.binaryCrossEntropy(), TrainingFixtures.uniform([3, 4], 0.1, 0.9, seed: 6), TrainingFixtures.uniform([3, 4], 0, 1, seed: 7))
        // Clamped like Keras: p = 0 with y = 1 costs -log(1e-7), and no gradient flows.
        let r = try Loss.binaryCrossEntropy()(Tensor(shape: [1, 1], scalars: [0]), Tensor(shape: [1, 1], scalars: [1]))
        XCTAssertEqual(r.value, -log(Double(Float(1e-7))), accuracy: 1e-4)
        XCTAssertEqual(r.gradient.scalars, [0])
    }

    func testBinaryCrossEntropyFromLogitsMatchesSigmoid() throws {
        let z = TrainingFixtures.uniform([3, 2], -4, 4, seed: 8), y = TrainingFixtures.uniform([3, 2], 0, 1, seed: 9)
        var sig = z
        for i in sig.scalars.indices { sig.scalars[i] = 1 / (1 + exp(-z.scalars[i])) }
        XCTAssertEqual(try Loss.binaryCrossEntropy(fromLogits: true).value(z, y), try Loss.binaryCrossEntropy().value(sig, y), accuracy: 1e-5)
        try checkGradient(.binaryCrossEntropy(fromLogits: true), z, y)
        // Stable for large logits.
        XCTAssertTrue(try Loss.binaryCrossEntropy(fromLogits: true).value(Tensor(shape: [1, 1], scalars: [500]), Tensor(shape: [1, 1], scalars: [0])).isFinite)
    }

    func testCategoricalCrossEntropy() throws {
        let p = Tensor(rows: [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), y = TrainingFixtures.oneHot([0, 2], classes: 3)
        XCTAssertEqual(try Loss.categoricalCrossEntropy().value(p, y), -(log(0.7) + log(0.8)) / 2, accuracy: 1e-6)
        // Unnormalised probabilities are renormalised (Keras), and the gradient accounts for it.
        try checkGradient(.categoricalCrossEntropy(), TrainingFixtures.uniform([3, 4], 0.1, 1, seed: 10), TrainingFixtures.uniform([3, 4], 0, 1, seed: 11))
        try checkGradient(.categoricalCrossEntropy(fromLogits: true), TrainingFixtures.uniform([2, 3, 4], -2, 2, seed: 12), TrainingFixtures.uniform([2, 3, 4], 0, 1, seed: 13))
    }

    func testCategoricalCrossEntropyThroughSoftmaxDenseMatchesAnalytic() throws {
        let x = TrainingFixtures.uniform([2, 4], -1, 1, seed: 14), y = TrainingFixtures.oneHot([1, 2], classes: 3)
        for (activation, loss) in [(Activation.softmax, Loss.categoricalCrossEntropy()), (.linear, .categoricalCrossEntropy(fromLogits: true))] {
            var model = Sequential { Dense(3, activation: activation) }
            try model.build(inputShape: [4], seed: 3)
            var rng = SeededGenerator(seed: 0)
            let out = model.forward(x, rng: &rng)
            model.backward(try loss(out, y).gradient)
            // Analytic: dz = (softmax(z) − y)/B, dW = dzᵀ x, db = Σ dz.
            var probs = model.infer(x)
            if activation == .linear { Activation.softmax.apply(&probs.scalars, width: 3) }
            let grads = model.namedParameters.map(\.parameter.gradient)
            for k in 0..<3 {
                var db = 0.0
                for r in 0..<2 {
                    let dz = (Double(probs[r, k]) - Double(y[r, k])) / 2
                    db += dz
                }
                assertClose(Double(grads[1].scalars[k]), db, rel: 1e-4, abs: 1e-6)
                for j in 0..<4 {
                    let dw = (0..<2).reduce(0.0) { $0 + (Double(probs[$1, k]) - Double(y[$1, k])) / 2 * Double(x[$1, j]) }
                    assertClose(Double(grads[0][k, j]), dw, rel: 1e-4, abs: 1e-6)
                }
            }
        }
    }

    func testWeightsAverageOverUnmaskedRows() throws {
        let p = Tensor(shape: [1, 3, 1], scalars: [1, 2, 100]), y = Tensor(shape: [1, 3, 1], scalars: [0, 0, 0])
        let mask = Tensor(shape: [1, 3], scalars: [1, 1, 0])
        let r = try Loss.meanSquaredError(p, y, weights: mask)
        XCTAssertEqual(r.value, 2.5, accuracy: 1e-9)
        XCTAssertEqual(r.gradient.scalars, [1, 2, 0])
        try checkGradient(.huber(), TrainingFixtures.uniform([2, 3, 2], -2, 2, seed: 15), Tensor(shape: [2, 3, 2]), weights: Tensor(shape: [2, 3], scalars: [1, 0, 2, 1, 1, 0.5]))
        XCTAssertThrowsError(try Loss.meanSquaredError(p, y, weights: Tensor(shape: [3], scalars: [1, 1, 1])))
    }

    func testShapeMismatchThrows() {
        XCTAssertThrowsError(try Loss.meanSquaredError(Tensor(shape: [2, 1]), Tensor(shape: [2, 2])))
    }

    func testNames() {
        XCTAssertEqual(Loss(name: "mse"), .meanSquaredError)
        XCTAssertEqual(Loss(name: "categorical_crossentropy"), .categoricalCrossEntropy())
        XCTAssertNil(Loss(name: "nope"))
        XCTAssertEqual(Loss.huber().description, "huber")
    }
}
