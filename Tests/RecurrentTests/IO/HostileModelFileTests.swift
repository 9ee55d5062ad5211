import Foundation
import XCTest
@testable import Recurrent

/// Model files and specs that ask for absurd sizes (issue 10) are refused before anything is
/// built, quickly, with a message naming the limit.
final class HostileModelFileTests: XCTestCase {
    /// A small file holding one Dense(1) on 1 feature, whose architecture JSON says `layers`.
    func file(layers: String, inputShape: String = "[4, 1]") throws -> URL {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("m.safetensors")
        let json = #"{"format": "recurrent-model", "version": 1, "input_shape": \#(inputShape), "layers": \#(layers)}"#
        let st = Safetensors(tensors: [("layers.0.weight", Tensor(shape: [1, 1], scalars: [0.5])),
                                       ("layers.0.bias", Tensor(shape: [1], scalars: [0]))],
                             metadata: [ModelFile.architectureKey: json])
        try st.write(to: url)
        return url
    }

    func refusal(_ url: URL, file: StaticString = #filePath, line: UInt = #line) -> String {
        let start = Date()
        defer { XCTAssertLessThan(Date().timeIntervalSince(start), 2, file: file, line: line) }
        do {
            _ = try ModelFile.read(from: url)
            XCTFail("expected a refusal", file: file, line: line)
            return ""
        } catch { return "\(error)" }
    }

    func testAbsurdSizesInATinyFileAreRefusedBeforeBuilding() throws {
        XCTAssertTrue(refusal(try file(layers: #"[{"type": "LSTM", "units": 3000000000000000000}]"#)).contains("above the limit of 65536"))
        XCTAssertTrue(refusal(try file(layers: #"[{"type": "LSTM", "units": 2000}]"#)).contains("file's tensors hold only 2"))
        XCTAssertTrue(refusal(try file(layers: #"[{"type": "SimpleRNN", "units": 3000}]"#)).contains("need 9009000 parameters"))
        XCTAssertTrue(refusal(try file(layers: #"[{"type": "Dense", "units": 1}]"#, inputShape: "[1000000000]")).contains("features 1000000000 is above"))
        XCTAssertTrue(refusal(try file(layers: #"[{"type": "Dense", "units": 1}]"#, inputShape: "[1000000000, 1]")).contains("time 1000000000 is above"))
        XCTAssertTrue(refusal(try file(layers: #"[{"type": "Conv1D", "filters": 1, "kernel_size": 100000}]"#)).contains("kernel_size"))
        let bi = #"[{"type": "Bidirectional", "merge": "concat", "layer": {"type": "LSTM", "units": 3, "stateful": true}}]"#
        XCTAssertTrue(refusal(try file(layers: bi)).contains("cannot be stateful"))
        // the honest file still loads
        XCTAssertNoThrow(try ModelFile.read(from: try file(layers: #"[{"type": "Dense", "units": 1}]"#)))
    }

    /// The budget used for the check must be the real parameter count of every layer type.
    func testParameterBudgetMatchesBuiltModels() throws {
        var model = Sequential {
            Conv1D(filters: 3, kernelSize: 2, dilation: 2, activation: .relu)
            LSTM(3, returnSequences: true)
            GRU(4, returnSequences: true)
            Dropout(0.25)
            SimpleRNN(2, returnSequences: true)
            Bidirectional(LSTM(2, returnSequences: true), merge: .sum)
            Bidirectional(GRU(3))
            Dense(2, activation: .tanh)
            Dense(1)
        }
        try model.build(inputShape: [6, 3], seed: 1)
        var features = 3, total = 0
        for layer in model.layers {
            let budget = try XCTUnwrap(try layer.config.parameterBudget(features: features))
            XCTAssertEqual(budget.parameters, layer.parameters.reduce(0) { $0 + $1.value.count }, layer.config.type)
            total += budget.parameters
            features = budget.outputFeatures
        }
        XCTAssertEqual(total, model.namedParameters.reduce(0) { $0 + $1.parameter.value.count })
    }

    func testSpecLimits() {
        for (spec, expected) in [
            ("lstm:3000000000000000000", "above the limit of 65536"),
            ("lstm:99999999999999999999999", "above the limit of 65536"),
            ("gru:70000", "unit count 70000 is above the limit of 65536"),
            ("conv1d:4:5000", "kernel size 5000 is above the limit of 4096"),
            ("conv1d:4:3:d=3000000000", "not a dilation between 1 and 4096"),
            ("lstm:3:bptt=99999999999", "not a bptt step count"),
            ("bilstm:3:stateful", "cannot be stateful"),
        ] {
            XCTAssertThrowsError(try ModelSpec.parse(spec), spec) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(spec): \(e)")
            }
        }
        var huge = Sequential { LSTM(60_000); Dense(1) }
        XCTAssertThrowsError(try huge.build(inputShape: [10, 1], seed: 1)) { XCTAssertTrue("\($0)".contains("more than 1073741824 parameters"), "\($0)") }
        var bi = LayerConfig(type: "Bidirectional")
        var inner = LayerConfig(type: "GRU"); inner.units = 3; inner.stateful = true
        bi.layer = LayerConfig.Box(inner)
        XCTAssertThrowsError(try LayerRegistry.makeLayer(bi)) { XCTAssertTrue("\($0)".contains("cannot be stateful"), "\($0)") }
    }
}

/// Absurd numbers given to the library (issue 10): no overflow trap.
final class HostileNumbersTests: XCTestCase {
    func testHugeBatchSizeIsOneBatch() throws {
        let (x, y) = TrainingFixtures.sine(samples: 8, steps: 3)
        var a = Sequential { GRU(2); Dense(1) }, b = a
        try a.build(inputShape: [3, 1], seed: 4); b = a
        var sgd1 = SGD(learningRate: 0.1), sgd2 = SGD(learningRate: 0.1)
        try a.fit(x, y, loss: .meanSquaredError, optimizer: &sgd1, options: FitOptions(epochs: 2, batchSize: .max, seed: 1, progress: .none))
        try b.fit(x, y, loss: .meanSquaredError, optimizer: &sgd2, options: FitOptions(epochs: 2, batchSize: 8, seed: 1, progress: .none))
        XCTAssertEqual(a.namedParameters.map(\.parameter.value.scalars), b.namedParameters.map(\.parameter.value.scalars))
        XCTAssertEqual(try a.evaluate(x, y, loss: .meanSquaredError, batchSize: .max), try a.evaluate(x, y, loss: .meanSquaredError, batchSize: 8), accuracy: 1e-6)
    }

    /// A large but honest model file loads without re-drawing (and orthogonalising) the weights
    /// it is about to overwrite: LSTM(1000)'s 4000×1000 recurrent matrix took minutes to draw in
    /// a debug build.
    func testLoadingALargeModelDoesNotDrawItsWeights() throws {
        var model = Sequential(layers: [LSTM(1000), Dense(1)])
        try Initializers.$drawsRandomValues.withValue(false) { try model.build(inputShape: [4, 1], seed: 0) }
        XCTAssertTrue(model.namedParameters.filter { $0.0.contains("weight") }.allSatisfy { $0.1.value.scalars.allSatisfy { $0 == 0 } }, "zero weights when not drawing")
        try model.setParameter("layers.1.bias", to: Tensor(shape: [1], scalars: [0.25]))
        let url = try makeTemporaryDirectory(self).appendingPathComponent("large.safetensors")
        try ModelFile.save(model, to: url)
        let start = Date()
        let loaded = try ModelFile.read(from: url).model
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "loading must not initialise 4 M weights")
        XCTAssertEqual(loaded.parameterCount, 4 * 1000 * (1 + 1000 + 2) + 1001)
        let bias = loaded.namedParameters.first { $0.0 == "layers.1.bias" }?.1.value.scalars
        XCTAssertEqual(bias, [0.25])
        var drawn = Sequential(layers: [GRU(3)])
        try drawn.build(inputShape: [2, 1], seed: 1)
        XCTAssertTrue(drawn.namedParameters.contains { $0.1.value.scalars.contains { $0 != 0 } }, "building for training still draws")
    }
}
