import Foundation
import XCTest
@testable import Recurrent

/// The AR highway, per-window normalisation (RevIN) and seed ensembles: gradients against
/// finite differences, the start from the linear model, and model-file round trips.
final class ARHighwayTests: XCTestCase {
    private let steps = 5, features = 2, batch = 3

    /// Built, then every parameter redrawn so the body's zeroed output layer does not hide
    /// the recurrent path from the check.
    private func randomised(_ layers: [any Layer], seed: UInt64 = 11) throws -> Sequential {
        var model = Sequential(layers: layers)
        try model.build(inputShape: [steps, features], seed: seed)
        var rng = SeededGenerator(seed: seed + 1)
        model.updateParameters { _, p in for i in p.value.scalars.indices { p.value.scalars[i] = rng.nextUniform(-0.6, 0.6) } }
        return model
    }

    /// Windows whose target feature has a level and a spread of its own, as RevIN sees them.
    private func windows() -> Tensor {
        var x = randomTensor([batch, steps, features], seed: 3)
        for n in 0..<batch { for t in 0..<steps { x.scalars[(n * steps + t) * features] = Float(n) * 0.7 + x.scalars[(n * steps + t) * features] } }
        return x
    }

    func testGradientsOfEveryCombination() throws {
        for (ar, revin) in [(true, false), (false, true), (true, true), (false, false)] {
            var model = try randomised([ARHighway(autoregressive: ar, instanceNorm: revin, body: [LSTM(3), Dense(2)])])
            checkGradients(&model, input: windows(), tolerance: 3e-3, label: "ar \(ar) revin \(revin)")
        }
    }

    func testFrozenARGetsNoGradientButPassesOneToItsInput() throws {
        var frozen = try randomised([ARHighway(autoregressive: true, frozen: true, instanceNorm: true, body: [LSTM(3), Dense(1)])])
        var trained = frozen
        trained.layers[0] = ARHighway(autoregressive: true, frozen: false, instanceNorm: true, body: [LSTM(3), Dense(1)])
        try trained.build(inputShape: [steps, features], seed: 11)
        for (name, p) in frozen.namedParameters { try trained.setParameter(name, to: p.value) }
        var rng = SeededGenerator(seed: 1), rng2 = SeededGenerator(seed: 1)
        let x = windows()
        let g = Tensor(shape: [batch, 1], scalars: [0.3, -0.7, 1.1])
        _ = frozen.forward(x, rng: &rng)
        _ = trained.forward(x, rng: &rng2)
        let dxFrozen = frozen.backward(g), dxTrained = trained.backward(g)
        XCTAssertEqual(dxFrozen.scalars, dxTrained.scalars)
        let arGradients = frozen.namedParameters.filter { $0.name.contains("ar_") }.flatMap { $0.parameter.gradient.scalars }
        XCTAssertEqual(arGradients.count, steps + 1)
        XCTAssertTrue(arGradients.allSatisfy { $0 == 0 })
        XCTAssertTrue(trained.namedParameters.filter { $0.name.contains("ar_") }.flatMap { $0.parameter.gradient.scalars }.contains { $0 != 0 })
        XCTAssertEqual(ModelSpec.describe(try ModelSpec.parse("ar:frozen,gru:2,dense:1")), "ar:frozen,gru:2,dense:1")
    }

    func testEnsembleGradients() throws {
        var model = try randomised([Ensemble(members: [
            ARHighway(autoregressive: true, instanceNorm: true, body: [GRU(2), Dense(1)]),
            ARHighway(autoregressive: false, instanceNorm: false, body: [LSTM(2), Dense(1)]),
        ])])
        checkGradients(&model, input: windows(), tolerance: 3e-3, label: "ensemble")
    }

    func testStartsAsTheLinearModelItIsGiven() throws {
        var model = Sequential(layers: [ARHighway(autoregressive: true, instanceNorm: true, body: [LSTM(4), Dense(1)])])
        try model.build(inputShape: [steps, features], seed: 7)
        let x = windows()
        // Persistence before fitting: the output is the last target value of each window.
        let before = model.infer(x)
        for n in 0..<batch { XCTAssertEqual(before.scalars[n], x.scalars[(n * steps + steps - 1) * features], accuracy: 1e-6) }
        var highway = model.layers[0] as! ARHighway
        let w = Tensor(shape: [1, steps], scalars: [0.1, -0.2, 0.3, 0.05, 0.5])
        try highway.setAutoregression(weight: w, bias: Tensor(shape: [1], scalars: [0.25]))
        model.layers[0] = highway
        let after = model.infer(x)
        for n in 0..<batch {
            var expected: Float = 0.25
            for t in 0..<steps { expected += w.scalars[t] * x.scalars[(n * steps + t) * features] }
            XCTAssertEqual(after.scalars[n], expected, accuracy: 1e-5)
        }
        XCTAssertThrowsError(try highway.setAutoregression(weight: Tensor(shape: [1, 3]), bias: Tensor(shape: [1])))
    }

    func testRevINIsInvariantToTheWindowsLevelAndScale() throws {
        // Without the AR part, y = m + s·body(z): shifting and scaling the target history
        // shifts and scales the output alike.
        let model = try randomised([ARHighway(autoregressive: false, instanceNorm: true, body: [GRU(3), Dense(1)])])
        let x = windows()
        var moved = x
        for n in 0..<batch { for t in 0..<steps { let i = (n * steps + t) * features; moved.scalars[i] = 3 * x.scalars[i] + 10 } }
        let y = model.infer(x), y2 = model.infer(moved)
        for n in 0..<batch { XCTAssertEqual(y2.scalars[n], 3 * y.scalars[n] + 10, accuracy: 1e-3) }
    }

    func testSpecAndModelFileRoundTrip() throws {
        let configs = try ModelSpec.parse("ar,revin,lstm:4,dense:1")
        XCTAssertEqual(configs.count, 1)
        XCTAssertEqual(configs[0].type, "ARHighway")
        XCTAssertEqual(ModelSpec.describe(configs), "ar,revin,lstm:4,dense:1")
        XCTAssertEqual(ModelSpec.describe(try ModelSpec.parse("revin,gru:3,dense:1")), "revin,gru:3,dense:1")
        XCTAssertThrowsError(try ModelSpec.parse("ar,revin"))

        let dir = try makeTemporaryDirectory(self)
        let model = try randomised([Ensemble(members: [
            ARHighway(autoregressive: true, instanceNorm: true, body: try ModelSpec.parse("lstm:3,dense:1").map(LayerRegistry.makeLayer)),
            ARHighway(autoregressive: true, instanceNorm: false, body: [GRU(2), Dense(1)]),
        ])])
        let url = dir.appendingPathComponent("m.safetensors")
        try model.save(to: url, metadata: [:])
        let loaded = try Sequential.load(from: url)
        XCTAssertEqual(loaded.namedParameters.map(\.name), model.namedParameters.map(\.name))
        XCTAssertTrue(loaded.namedParameters.map(\.name).contains("layers.0.members.1.body.0.weight_ih_l0"))
        XCTAssertEqual(loaded.infer(windows()).scalars, model.infer(windows()).scalars)
    }
}
