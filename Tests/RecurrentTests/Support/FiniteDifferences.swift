import XCTest
@testable import Recurrent

/// Central finite differences of L = Σ r ⊙ model(x) against the analytic backward pass,
/// for every parameter entry and every input entry. Loss evaluated in Double.
func checkGradients(_ model: inout Sequential, input x: Tensor, epsilon: Float = 1e-2,
                    tolerance: Double = 2e-3, label: String,
                    file: StaticString = #filePath, line: UInt = #line) {
    var rng = SeededGenerator(seed: 99)
    var probe = model
    let y = probe.forward(x, rng: &rng)
    var r = Tensor(shape: y.shape)
    var rr = SeededGenerator(seed: 5)
    for i in r.scalars.indices { r.scalars[i] = rr.nextUniform(-1, 1) }

    func loss(_ m: Sequential, _ input: Tensor) -> Double {
        var m = m
        var g = SeededGenerator(seed: 99)
        let out = m.forward(input, rng: &g)
        var s = 0.0
        for i in out.scalars.indices { s += Double(out.scalars[i]) * Double(r.scalars[i]) }
        return s
    }

    var analytic = model
    analytic.zeroGradients()
    var g = SeededGenerator(seed: 99)
    _ = analytic.forward(x, rng: &g)
    let dx = analytic.backward(r)

    var worst = 0.0
    func compare(_ numeric: Double, _ exact: Float, _ what: String) {
        let err = abs(numeric - Double(exact)) / max(1, abs(numeric))
        worst = max(worst, err)
        if err > tolerance {
            XCTFail("\(label): \(what): finite difference \(numeric), backward \(exact)", file: file, line: line)
        }
    }

    for (name, parameter) in analytic.namedParameters {
        for k in parameter.value.scalars.indices {
            var plus = model, minus = model
            plus.updateParameters { n, p in if n == name { p.value.scalars[k] += epsilon } }
            minus.updateParameters { n, p in if n == name { p.value.scalars[k] -= epsilon } }
            let numeric = (loss(plus, x) - loss(minus, x)) / Double(2 * epsilon)
            compare(numeric, parameter.gradient.scalars[k], "\(name)[\(k)]")
        }
    }
    for k in x.scalars.indices {
        var xp = x, xm = x
        xp.scalars[k] += epsilon
        xm.scalars[k] -= epsilon
        let numeric = (loss(model, xp) - loss(model, xm)) / Double(2 * epsilon)
        compare(numeric, dx.scalars[k], "x[\(k)]")
    }
    XCTAssertLessThan(worst, tolerance, "\(label): worst relative error \(worst)", file: file, line: line)
}

/// A seeded random tensor in [−scale, scale].
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    var t = Tensor(shape: shape)
    for i in t.scalars.indices { t.scalars[i] = rng.nextUniform(-scale, scale) }
    return t
}
