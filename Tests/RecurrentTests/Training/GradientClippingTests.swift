import XCTest
@testable import Recurrent

final class GradientClippingTests: XCTestCase {
    /// Dense(2) on 2 features: weight gradient [3, 4, 0, 0] (norm 5), bias gradient [0, 12] (norm 12).
    private func model() throws -> Sequential {
        var m = Sequential { Dense(2) }
        try m.build(inputShape: [2], seed: 0)
        m.updateParameters { name, p in
            p.gradient = name.hasSuffix("weight") ? Tensor(shape: [2, 2], scalars: [3, 4, 0, 0]) : Tensor(shape: [2], scalars: [0, 12])
        }
        return m
    }

    private func gradients(_ m: Sequential) -> [[Float]] { m.namedParameters.map(\.parameter.gradient.scalars) }

    func testGlobalNormWithoutClipping() throws {
        var m = try model()
        XCTAssertEqual(m.gradientGlobalNorm, 13, accuracy: 1e-9)
        XCTAssertEqual(m.clipGradients(nil), 13, accuracy: 1e-9)
        XCTAssertEqual(gradients(m), [[3, 4, 0, 0], [0, 12]])
    }

    func testClipByValue() throws {
        var m = try model()
        XCTAssertEqual(m.clipGradients(.value(3.5)), 13, accuracy: 1e-9)
        XCTAssertEqual(gradients(m), [[3, 3.5, 0, 0], [0, 3.5]])
    }

    func testClipPerTensorNorm() throws {
        var m = try model()
        XCTAssertEqual(m.clipGradients(.norm(6)), 13, accuracy: 1e-9)
        let g = gradients(m)
        XCTAssertEqual(g[0], [3, 4, 0, 0], "norm 5 ≤ 6 is unchanged")
        XCTAssertEqual(g[1][1], 6, accuracy: 1e-6)
    }

    func testClipGlobalNorm() throws {
        var m = try model()
        XCTAssertEqual(m.clipGradients(.globalNorm(6.5)), 13, accuracy: 1e-9)
        let g = gradients(m)
        XCTAssertEqual(g[0][0], 1.5, accuracy: 1e-6)
        XCTAssertEqual(g[0][1], 2, accuracy: 1e-6)
        XCTAssertEqual(g[1][1], 6, accuracy: 1e-6)
        XCTAssertEqual(m.gradientGlobalNorm, 6.5, accuracy: 1e-5)
        var n = try model()
        n.clipGradients(.globalNorm(100))
        XCTAssertEqual(gradients(n), [[3, 4, 0, 0], [0, 12]])
    }
}
