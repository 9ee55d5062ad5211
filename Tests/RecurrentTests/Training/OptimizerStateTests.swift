import XCTest
@testable import Recurrent

/// Export/import of optimizer state: a restored optimizer continues exactly.
final class OptimizerStateTests: XCTestCase {
    private func twoLayerModel() throws -> Sequential {
        var m = Sequential { Dense(3, activation: .tanh); Dense(1) }
        try m.build(inputShape: [2], seed: 5)
        return m
    }

    private func fakeGradients(_ m: inout Sequential, step: Int) {
        m.updateParameters { name, p in
            for i in p.gradient.scalars.indices { p.gradient.scalars[i] = Float(sin(Double(i + 7 * step + name.count))) }
        }
    }

    private func resumesExactly<O: Optimizer>(_ make: () -> O) throws {
        var a = try twoLayerModel()
        var optA = make()
        for s in 0..<2 { fakeGradients(&a, step: s); optA.step(&a) }
        let state = optA.exportState()
        XCTAssertEqual(state.iterations, 2)
        try state.validate(for: a)
        var b = a
        var optB = make()
        try optB.importState(state)
        XCTAssertEqual(optB.exportState(), state)
        fakeGradients(&a, step: 2); optA.step(&a)
        fakeGradients(&b, step: 2); optB.step(&b)
        XCTAssertEqual(TrainingFixtures.weights(a), TrainingFixtures.weights(b))
        // A fresh optimizer (no state) would differ.
        var c = b
        var optC = make()
        fakeGradients(&c, step: 3); optC.step(&c)
        fakeGradients(&b, step: 3); optB.step(&b)
        XCTAssertNotEqual(TrainingFixtures.weights(b), TrainingFixtures.weights(c))
    }

    func testSGDMomentumResumes() throws { try resumesExactly { SGD(learningRate: 0.1, momentum: 0.9) } }
    func testRMSpropResumes() throws { try resumesExactly { RMSprop(learningRate: 0.01, momentum: 0.3, centered: true) } }
    func testAdamResumes() throws { try resumesExactly { Adam(learningRate: 0.01) } }
    func testAdamWResumes() throws { try resumesExactly { AdamW(learningRate: 0.01) } }

    func testSlotsAreKeyedByQualifiedName() throws {
        var m = try twoLayerModel()
        var opt = Adam()
        fakeGradients(&m, step: 0)
        opt.step(&m)
        let keys = Set(opt.exportState().slots.keys)
        XCTAssertTrue(keys.contains("layers.0.weight/m"))
        XCTAssertTrue(keys.contains("layers.1.bias/v"))
        XCTAssertEqual(keys.count, 8)
    }

    func testImportRejectsMismatches() throws {
        var sgd = SGD(momentum: 0.9)
        XCTAssertThrowsError(try sgd.importState(Adam().exportState()))
        var bad = Adam().exportState()
        bad.slots["layers.0.weight/z"] = Tensor(shape: [3, 2])
        var adam = Adam()
        XCTAssertThrowsError(try adam.importState(bad))
        let m = try twoLayerModel()
        var wrongShape = Adam().exportState()
        wrongShape.slots["layers.0.weight/m"] = Tensor(shape: [2, 3])
        XCTAssertThrowsError(try wrongShape.validate(for: m))
        var unknown = Adam().exportState()
        unknown.slots["layers.7.weight/m"] = Tensor(shape: [1])
        XCTAssertThrowsError(try unknown.validate(for: m))
    }
}
