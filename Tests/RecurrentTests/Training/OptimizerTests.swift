import XCTest
@testable import Recurrent

/// Single steps of each optimizer against Keras's formulas computed by hand in Double.
final class OptimizerTests: XCTestCase {
    /// Dense(1) on 2 features: `layers.0.weight [1, 2]` (penalized) and `layers.0.bias [1]`.
    private func model(weight: [Float] = [0.5, -1], bias: Float = 0.25) throws -> Sequential {
        var m = Sequential { Dense(1) }
        try m.build(inputShape: [2], seed: 0)
        try m.setParameter("layers.0.weight", to: Tensor(shape: [1, 2], scalars: weight))
        try m.setParameter("layers.0.bias", to: Tensor(shape: [1], scalars: [bias]))
        return m
    }

    private func setGradients(_ m: inout Sequential, weight: [Float], bias: Float) {
        m.updateParameters { name, p in
            p.gradient = name.hasSuffix("weight") ? Tensor(shape: [1, 2], scalars: weight) : Tensor(shape: [1], scalars: [bias])
        }
    }

    private func values(_ m: Sequential) -> [Double] { m.namedParameters.flatMap { $0.parameter.value.scalars.map(Double.init) } }

    private let grads: [[Double]] = [[0.1, -0.2, 0.3], [0.4, 0.05, -0.6]]  // two steps: weight0, weight1, bias

    /// Runs two steps with `grads` and compares to `expected(w, g, step)` applied in Double.
    private func check<O: Optimizer>(_ optimizer: O, expected: ([Double], [Double], Int, inout [String: [Double]]) -> [Double], file: StaticString = #filePath, line: UInt = #line) throws {
        var opt = optimizer
        var m = try model()
        var w = values(m)
        var state: [String: [Double]] = [:]
        for (k, g) in grads.enumerated() {
            setGradients(&m, weight: [Float(g[0]), Float(g[1])], bias: Float(g[2]))
            opt.step(&m)
            w = expected(w, g, k + 1, &state)
            for (a, b) in zip(values(m), w) { assertClose(a, b, rel: 1e-5, abs: 1e-7, "step \(k + 1)", file: file, line: line) }
        }
        XCTAssertEqual(opt.iterations, 2, file: file, line: line)
    }

    func testPlainSGD() throws {
        try check(SGD(learningRate: 0.1)) { w, g, _, _ in zip(w, g).map { $0 - 0.1 * $1 } }
    }

    func testSGDMomentum() throws {
        try check(SGD(learningRate: 0.1, momentum: 0.9)) { w, g, _, s in
            let v = zip(s["v"] ?? [0, 0, 0], g).map { 0.9 * $0 - 0.1 * $1 }
            s["v"] = v
            return zip(w, v).map { $0 + $1 }
        }
    }

    func testSGDNesterov() throws {
        try check(SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)) { w, g, _, s in
            let v = zip(s["v"] ?? [0, 0, 0], g).map { 0.9 * $0 - 0.1 * $1 }
            s["v"] = v
            return (0..<3).map { w[$0] + 0.9 * v[$0] - 0.1 * g[$0] }
        }
    }

    func testRMSprop() throws {
        try check(RMSprop(learningRate: 0.01, rho: 0.9)) { w, g, _, s in
            let v = zip(s["v"] ?? [0, 0, 0], g).map { 0.9 * $0 + 0.1 * $1 * $1 }
            s["v"] = v
            return (0..<3).map { w[$0] - 0.01 * g[$0] / (v[$0] + 1e-7).squareRoot() }
        }
    }

    func testRMSpropWithMomentum() throws {
        try check(RMSprop(learningRate: 0.01, rho: 0.8, momentum: 0.5)) { w, g, _, s in
            let v = zip(s["v"] ?? [0, 0, 0], g).map { 0.8 * $0 + 0.2 * $1 * $1 }
            let m = (0..<3).map { 0.5 * (s["m"] ?? [0, 0, 0])[$0] + 0.01 * g[$0] / (v[$0] + 1e-7).squareRoot() }
            s["v"] = v
            s["m"] = m
            return zip(w, m).map { $0 - $1 }
        }
    }

    func testAdamBiasCorrection() throws {
        try check(Adam(learningRate: 0.01)) { w, g, t, s in
            let m = zip(s["m"] ?? [0, 0, 0], g).map { 0.9 * $0 + 0.1 * $1 }
            let v = zip(s["v"] ?? [0, 0, 0], g).map { 0.999 * $0 + 0.001 * $1 * $1 }
            s["m"] = m
            s["v"] = v
            let alpha = 0.01 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
            return (0..<3).map { w[$0] - alpha * m[$0] / (v[$0].squareRoot() + 1e-7) }
        }
        // First step moves every parameter by about lr (bias correction at work).
        var m = try model()
        let before = values(m)
        setGradients(&m, weight: [0.1, -5], bias: 42)
        var adam = Adam(learningRate: 0.01)
        adam.step(&m)
        for (a, b) in zip(values(m), before) { XCTAssertEqual(abs(a - b), 0.01, accuracy: 1e-5) }
    }

    func testAdamWDecaysOnlyPenalizedParameters() throws {
        // With zero gradients Adam does nothing, so only the decoupled decay acts.
        var m = try model()
        setGradients(&m, weight: [0, 0], bias: 0)
        var opt = AdamW(learningRate: 0.1, weightDecay: 0.5)
        opt.step(&m)
        let v = values(m)
        XCTAssertEqual(v[0], 0.5 * (1 - 0.05), accuracy: 1e-7)
        XCTAssertEqual(v[1], -1 * (1 - 0.05), accuracy: 1e-7)
        XCTAssertEqual(v[2], 0.25, "the bias is not decayed")
        // With gradients: decay first, then the Adam step.
        try check(AdamW(learningRate: 0.01, weightDecay: 0.1)) { w, g, t, s in
            let m = zip(s["m"] ?? [0, 0, 0], g).map { 0.9 * $0 + 0.1 * $1 }
            let v = zip(s["v"] ?? [0, 0, 0], g).map { 0.999 * $0 + 0.001 * $1 * $1 }
            s["m"] = m
            s["v"] = v
            let alpha = 0.01 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
            return (0..<3).map { i in
                let decayed = i < 2 ? w[i] - w[i] * 0.01 * 0.1 : w[i]
                return decayed - alpha * m[i] / (v[i].squareRoot() + 1e-7)
            }
        }
    }

    func testLearningRateIsSettable() throws {
        var opt: any Optimizer = Adam(learningRate: 0.1)
        opt.learningRate = 0.05
        XCTAssertEqual(opt.learningRate, 0.05)
    }
}
