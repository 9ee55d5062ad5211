import Foundation
import XCTest
@testable import Recurrent

final class IOModelFileTests: XCTestCase {
    func mixedModel() throws -> Sequential {
        var model = Sequential {
            LSTM(3, returnSequences: true)
            GRU(3, returnSequences: true)
            Dropout(0.25)
            SimpleRNN(2, returnSequences: true)
            Bidirectional(LSTM(2))
            Dense(2, activation: .tanh)
            Dense(1)
        }
        try model.build(inputShape: [4, 3], seed: 11)
        return model
    }

    func input(batch: Int = 2, steps: Int = 4, features: Int = 3, seed: UInt64 = 5) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: [batch, steps, features], scalars: (0..<(batch * steps * features)).map { _ in rng.nextUniform(-1, 1) })
    }

    func testSaveLoadPredictsBitIdentically() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("model.safetensors")
        let model = try mixedModel()
        let training = #"{"loss":"mse","optimizer":{"name":"adam","lr":0.001},"epochs":3,"scaler":{"min":[0.5],"max":[9.25]}}"#
        try model.save(to: url, metadata: [ModelFile.trainingKey: training, "forecast.window": "60"])

        let contents = try ModelFile.read(from: url)
        XCTAssertEqual(contents.metadata, [ModelFile.trainingKey: training, "forecast.window": "60"])
        XCTAssertEqual(contents.architecture.inputShape, [4, 3])
        XCTAssertEqual(contents.architecture.layers, model.layers.map(\.config))
        let loaded = contents.model
        XCTAssertEqual(loaded.namedParameters.map(\.name), model.namedParameters.map(\.name))
        for (a, b) in zip(loaded.namedParameters, model.namedParameters) {
            XCTAssertEqual(a.parameter.value.scalars.map(\.bitPattern), b.parameter.value.scalars.map(\.bitPattern), a.name)
        }
        let x = input()
        XCTAssertEqual(try loaded.predict(x).scalars.map(\.bitPattern), try model.predict(x).scalars.map(\.bitPattern))
        XCTAssertEqual(try Sequential.load(from: url).predict(x), try model.predict(x))
    }

    func testArchitectureMetadataLayout() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("m.safetensors")
        var model = Sequential { LSTM(2, returnSequences: true); Dense(1) }
        try model.build(inputShape: [3, 1], seed: 1)
        try model.save(to: url)
        let st = try Safetensors.read(from: url)
        XCTAssertEqual(Set(st.names), ["layers.0.weight_ih_l0", "layers.0.weight_hh_l0", "layers.0.bias_ih_l0", "layers.0.bias_hh_l0",
                                       "layers.1.weight", "layers.1.bias"])
        XCTAssertEqual(st["layers.0.weight_ih_l0"]?.shape, [8, 1])
        let json = try XCTUnwrap(st.metadata[ModelFile.architectureKey])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["format"] as? String, "recurrent-model")
        XCTAssertEqual(object["version"] as? Int, 1)
        XCTAssertEqual(object["input_shape"] as? [Int], [3, 1])
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["type"] as? String }, ["LSTM", "Dense"])
        XCTAssertEqual(layers[0]["return_sequences"] as? Bool, true)
    }

    func testAtomicSaveLeavesOldFileOnError() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("m.safetensors")
        let model = try mixedModel()
        try model.save(to: url)
        let before = try Data(contentsOf: url)
        XCTAssertThrowsError(try model.save(to: url, metadata: [ModelFile.architectureKey: "x"]))
        XCTAssertThrowsError(try Sequential { Dense(1) }.save(to: url))
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["m.safetensors"])
    }

    func testRejectsWeightsOfAnotherArchitecture() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("other.safetensors")
        var other = Sequential { LSTM(50); Dense(1) }
        try other.build(inputShape: [6, 1], seed: 1)
        try other.save(to: url)
        var mine = Sequential { LSTM(50); Dense(1) }
        try mine.build(inputShape: [6, 3], seed: 1)
        let before = mine.namedParameters.map(\.parameter.value)
        XCTAssertEqual(errorMessage { try mine.loadWeights(from: url, allowUnused: true) },
                       "other.safetensors: layers.0.weight_ih_l0: file has [200, 1], the architecture needs [200, 3]")
        XCTAssertEqual(mine.namedParameters.map(\.parameter.value), before, "nothing changes on error")

        var gru = Sequential { GRU(4); Dense(1) }
        try gru.build(inputShape: [6, 1], seed: 1)
        let text = errorMessage { try gru.loadWeights(from: url, allowUnused: true) }
        XCTAssertEqual(text, "other.safetensors: layers.0.weight_ih_l0: file has [200, 1], the architecture needs [12, 1]")
    }

    func testMissingExtraAndWrongShapeTensorsInModelFile() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("m.safetensors")
        var model = Sequential { SimpleRNN(2); Dense(1) }
        try model.build(inputShape: [3, 2], seed: 1)
        try model.save(to: url)
        let good = try Safetensors.read(from: url)

        var missing = good
        missing["layers.1.bias"] = nil
        try missing.write(to: url)
        XCTAssertEqual(errorMessage { _ = try Sequential.load(from: url) }, "m.safetensors: missing tensor for the architecture: layers.1.bias")

        var extra = good
        extra["layers.2.weight"] = Tensor(shape: [1])
        try extra.write(to: url)
        XCTAssertEqual(errorMessage { _ = try Sequential.load(from: url) }, "m.safetensors: tensor not in the architecture: layers.2.weight")

        var wrong = good
        wrong["layers.1.weight"] = Tensor(shape: [1, 3])
        try wrong.write(to: url)
        XCTAssertEqual(errorMessage { _ = try Sequential.load(from: url) },
                       "m.safetensors: layers.1.weight: file has [1, 3], the architecture needs [1, 2]")
    }

    func testMetadataMissingOrUnknownVersion() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("m.safetensors")
        try Safetensors(tensors: [("weight_ih_l0", Tensor(shape: [4, 1]))]).write(to: url)
        XCTAssertTrue(errorMessage { _ = try Sequential.load(from: url) }
            .hasPrefix("m.safetensors: not a Recurrent model file: no 'recurrent.architecture' metadata"))

        let v2 = #"{"format":"recurrent-model","version":2,"input_shape":[3,1],"layers":[{"type":"Dense","units":1}]}"#
        try Safetensors(tensors: [], metadata: [ModelFile.architectureKey: v2]).write(to: url)
        XCTAssertEqual(errorMessage { _ = try Sequential.load(from: url) },
                       "m.safetensors: model file version 2 is not supported (this version of Recurrent reads version 1)")

        let cases: [(String, String)] = [
            ("not json", "not a JSON object"),
            (#"{"format":"keras","version":1}"#, #"'format' is not "recurrent-model""#),
            (#"{"format":"recurrent-model","version":1,"input_shape":[3,1],"layers":[{"type":"Transformer"}]}"#, "unknown layer type 'Transformer'"),
            (#"{"format":"recurrent-model","version":1,"input_shape":[3,1]}"#, "missing 'layers'"),
            (#"{"format":"recurrent-model","version":1,"input_shape":[0,1],"layers":[{"type":"Dense","units":1}]}"#, "input_shape [0, 1]"),
        ]
        for (json, expected) in cases {
            try Safetensors(tensors: [], metadata: [ModelFile.architectureKey: json]).write(to: url)
            let text = errorMessage { _ = try Sequential.load(from: url) }
            XCTAssertTrue(text.hasPrefix("m.safetensors: invalid 'recurrent.architecture' metadata: ") && text.contains(expected), text)
        }
    }

    /// A state dict as `safetensors.torch.save_file(nn.LSTM(3, 4).state_dict())` writes it,
    /// in float64 (and in float32), loads into `Sequential { LSTM(4) }` under a prefix.
    func testPyTorchStateDictLoadsWithPrefix() throws {
        let dir = try makeTemporaryDirectory(self)
        var rng = SeededGenerator(seed: 3)
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double(rng.nextUniform(-0.5, 0.5)) } }
        let names = [("weight_ih_l0", [16, 3]), ("weight_hh_l0", [16, 4]), ("bias_ih_l0", [16]), ("bias_hh_l0", [16])]
        let tensors = names.map { ($0.0, $0.1, values($0.1.reduce(1, *))) }
        for f64 in [true, false] {
            let url = dir.appendingPathComponent("lstm\(f64 ? 64 : 32).safetensors")
            try referenceSafetensors(tensors.map { ($0.0, $0.1, $0.2, f64) }).write(to: url)
            var model = Sequential { LSTM(4, returnSequences: true) }
            try model.build(inputShape: [5, 3], seed: 99)
            XCTAssertTrue(errorMessage { try model.loadWeights(from: url) }.contains("missing tensors for the architecture: layers.0.weight_ih_l0"))
            try Sequential.load(weightsFrom: url, into: &model, mapping: .prefix("layers.0."))
            for (name, shape, v) in tensors {
                XCTAssertEqual(model.namedParameters.first { $0.name == "layers.0." + name }?.parameter.value,
                               Tensor(shape: shape, scalars: v.map { Float($0) }))
            }
        }
    }

    func testModuleStateDictWithRenaming() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("module.safetensors")
        let tensors: [(String, [Int], [Double], Bool)] = [
            ("lstm.weight_ih_l0", [8, 1], (0..<8).map { Double($0) / 8 }, false), ("lstm.weight_hh_l0", [8, 2], [Double](repeating: 0.1, count: 16), false),
            ("lstm.bias_ih_l0", [8], [Double](repeating: 0, count: 8), false), ("lstm.bias_hh_l0", [8], [Double](repeating: 0.5, count: 8), false),
            ("fc.weight", [1, 2], [1, -1], false), ("fc.bias", [1], [0.25], false), ("num_batches_tracked", [], [3], false),
        ]
        try referenceSafetensors(tensors).write(to: url)
        var model = Sequential { LSTM(2); Dense(1) }
        try model.build(inputShape: [3, 1], seed: 1)
        let mapping = WeightNameMapping.pytorchRNN(layers: [0], sourcePrefix: "lstm.")
            .orElse(.renaming(["fc.weight": "layers.1.weight", "fc.bias": "layers.1.bias"]))
        XCTAssertEqual(errorMessage { try model.loadWeights(from: url, mapping: mapping) },
                       "module.safetensors: tensor not in the architecture: num_batches_tracked")
        try model.loadWeights(from: url, mapping: mapping, allowUnused: true)
        XCTAssertEqual(model.namedParameters.last?.parameter.value.scalars, [0.25])
    }

    // MARK: Golden vectors (PyTorch float64)

    func golden(_ name: String) throws -> [String: Any] {
        guard let dir = goldenDirectory() else { throw XCTSkip("golden vectors not present (../shared/golden)") }
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Writes the golden weights as a float64 state dict, loads them, and compares outputs.
    func checkGolden(_ file: String, model: Sequential, mapping: WeightNameMapping) throws {
        let g = try golden(file)
        let weights = try XCTUnwrap(g["weights"] as? [String: Any])
        var tensors: [(name: String, shape: [Int], values: [Double], f64: Bool)] = []
        for (name, value) in weights {
            let t = try GoldenTensor(value)
            tensors.append((name, t.shape, t.values, true))
        }
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent(file.replacingOccurrences(of: ".json", with: ".safetensors"))
        try referenceSafetensors(tensors).write(to: url)

        let x = try GoldenTensor(XCTUnwrap(g["x"])).tensor
        var m = model
        try m.build(inputShape: Array(x.shape.dropFirst()), seed: 0)
        try m.loadWeights(from: url, mapping: mapping)
        let expected = try GoldenTensor(XCTUnwrap(g["output"]))
        let y = try m.predict(x)
        XCTAssertEqual(y.shape, expected.shape, file)
        for (a, b) in zip(y.scalars, expected.values) {
            XCTAssertLessThanOrEqual(abs(Double(a) - b), 1e-6 + 1e-4 * abs(b), file)
        }
        // And through a full model file.
        let saved = dir.appendingPathComponent("saved.safetensors")
        try m.save(to: saved)
        XCTAssertEqual(try Sequential.load(from: saved).predict(x), y)
    }

    func testGoldenLSTM() throws {
        try checkGolden("lstm.json", model: Sequential { LSTM(4, returnSequences: true) }, mapping: .prefix("layers.0."))
    }

    func testGoldenGRU() throws {
        try checkGolden("gru.json", model: Sequential { GRU(4, returnSequences: true) }, mapping: .prefix("layers.0."))
    }

    func testGoldenSimpleRNN() throws {
        try checkGolden("rnn_tanh.json", model: Sequential { SimpleRNN(4, returnSequences: true) }, mapping: .prefix("layers.0."))
    }

    func testGoldenTwoLayerLSTM() throws {
        try checkGolden("lstm_2layer.json",
                        model: Sequential { LSTM(4, returnSequences: true); LSTM(4, returnSequences: true) },
                        mapping: .pytorchRNN(layers: [0, 1]))
    }

    func testGoldenBidirectionalLSTM() throws {
        try checkGolden("lstm_bidirectional.json", model: Sequential { Bidirectional(LSTM(4, returnSequences: true)) },
                        mapping: .pytorchRNN(layers: [0]))
    }
}
