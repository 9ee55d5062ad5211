import Foundation
import XCTest
@testable import Recurrent

/// `LayerRegistry`: every registered layer kind survives description → layer → model file →
/// layer; unknown kinds and sizes past `LayerLimits` are refused with a message that says which.
final class LayerRegistryTests: XCTestCase {
    /// One model per built-in kind: its layers as a spec (nil: described by hand), the kind it
    /// exercises, and an input shape `[time, features]` or `[features]`.
    struct KindCase {
        let kind: String
        let configs: [LayerConfig]
        let spec: String?
        let inputShape: [Int]
    }

    static func cases() throws -> [KindCase] {
        func spec(_ kind: String, _ s: String, _ shape: [Int]) throws -> KindCase {
            KindCase(kind: kind, configs: try ModelSpec.parse(s), spec: s, inputShape: shape)
        }
        var ensemble = LayerConfig(type: "Ensemble")
        ensemble.layers = try ModelSpec.parse("ar,gru:3,dense:2") + ModelSpec.parse("revin,lstm:2,dense:2")
        return [
            try spec("Dense", "dense:3:tanh,dense:2", [4]),
            try spec("Dropout", "lstm:3:seq,dropout:0.25,gru:2,dense:1", [5, 2]),
            try spec("SimpleRNN", "rnn:3:seq:relu:bptt=2,rnn:2,dense:1", [5, 2]),
            try spec("LSTM", "lstm:3:seq:stateful:bptt=4,lstm:2,dense:1", [5, 2]),
            try spec("GRU", "gru:3:seq,gru:2:stateful,dense:1:sigmoid", [5, 2]),
            try spec("Bidirectional", "bilstm:3:seq:sum,bigru:2,dense:1", [5, 2]),
            try spec("Bidirectional", "birnn:2:seq:relu,lstm:2,dense:1", [5, 2]),
            try spec("Conv1D", "conv1d:4:3:d=2:relu,lstm:2,dense:1", [7, 2]),
            try spec("ARHighway", "ar:frozen,revin,lstm:3,dense:1", [6, 2]),
            try spec("ARHighway", "ar,conv1d:2:2,gru:2,dense:2", [6, 3]),
            KindCase(kind: "Ensemble", configs: [ensemble], spec: nil, inputShape: [6, 2]),
        ]
    }

    /// The kinds the registry knows, read from its refusal of an unknown kind.
    static func registeredKinds() throws -> Set<String> {
        do {
            _ = try LayerRegistry.makeLayer(LayerConfig(type: "NoSuchLayer"))
        } catch {
            let text = "\(error)"
            guard let open = text.range(of: "(known: "), let close = text.range(of: ")", range: open.upperBound..<text.endIndex) else {
                XCTFail("the refusal does not list the known kinds: \(text)")
                return []
            }
            return Set(text[open.upperBound..<close.lowerBound].components(separatedBy: ", "))
        }
        XCTFail("an unknown kind was accepted")
        return []
    }

    func testEveryRegisteredKindHasARoundTripCase() throws {
        let covered = Set(try Self.cases().map(\.kind))
        let registered = try Self.registeredKinds().filter { !$0.hasPrefix("Test") }  // kinds registered by tests
        XCTAssertEqual(registered, covered, "a kind registered in LayerRegistry has no round-trip case here (or a case names no registered kind)")
    }

    func testEveryKindRoundTripsThroughAModelFile() throws {
        let dir = try makeTemporaryDirectory(self)
        for (n, c) in try Self.cases().enumerated() {
            let label = "\(c.kind) (\(c.spec ?? "by hand"))"
            // description → layer → description
            let layers = try c.configs.map(LayerRegistry.makeLayer)
            for (config, layer) in zip(c.configs, layers) {
                XCTAssertEqual(try LayerRegistry.makeLayer(layer.config).config, layer.config, "\(label): config is not stable")
                XCTAssertEqual(layer.config.type, config.type, label)
            }
            if let spec = c.spec { XCTAssertEqual(ModelSpec.describe(layers.map(\.config)), spec, "\(label): spec → layer → spec") }
            // layer → model file → layer
            var model = Sequential(layers: layers)
            try model.build(inputShape: c.inputShape, seed: UInt64(10 + n))
            // The budget checked before building is the real count, for every kind.
            let time = c.inputShape.count == 2 ? c.inputShape[0] : nil
            XCTAssertEqual(try LayerLimits.parameterCount(of: c.configs, features: c.inputShape.last!, time: time), model.parameterCount, "\(label): parameter budget")
            model.updateParameters { _, p in   // non-trivial values everywhere (ARHighway zeroes its last Dense)
                var rng = SeededGenerator(seed: UInt64(p.value.count + 7 * n))
                p.value.scalars = p.value.scalars.map { $0 + rng.nextUniform(-0.5, 0.5) }
            }
            let url = dir.appendingPathComponent("kind\(n).safetensors")
            try model.save(to: url)
            let loaded = try ModelFile.read(from: url).model
            XCTAssertEqual(loaded.layers.map(\.config), model.layers.map(\.config), "\(label): configs after the file")
            XCTAssertEqual(loaded.namedParameters.map(\.name), model.namedParameters.map(\.name), "\(label): parameter names")
            XCTAssertEqual(loaded.namedParameters.map(\.parameter.value), model.namedParameters.map(\.parameter.value), "\(label): parameter values")
            let x = TrainingFixtures.uniform([3] + c.inputShape, -1, 1, seed: 5)
            XCTAssertEqual(loaded.infer(x), model.infer(x), "\(label): the loaded model computes something else")
            XCTAssertGreaterThan(model.parameterCount, 0, label)
        }
    }

    func testUnknownKindsAreRefusedNamingTheKnownOnes() throws {
        XCTAssertThrowsError(try LayerRegistry.makeLayer(LayerConfig(type: "Transformer"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("unknown layer type 'Transformer'"), text)
            for kind in ["Dense", "LSTM", "GRU", "SimpleRNN", "Bidirectional", "Conv1D", "Dropout", "ARHighway", "Ensemble"] {
                XCTAssertTrue(text.contains(kind), "\(text) does not list \(kind)")
            }
        }
        // Inside every wrapper too.
        var bi = LayerConfig(type: "Bidirectional")
        bi.layer = LayerConfig.Box(LayerConfig(type: "Mamba"))
        var highway = LayerConfig(type: "ARHighway")
        highway.layers = [LayerConfig(type: "Mamba")]
        var ensemble = LayerConfig(type: "Ensemble")
        ensemble.layers = [highway]
        for config in [bi, highway, ensemble] {
            XCTAssertThrowsError(try LayerRegistry.makeLayer(config), config.type) {
                XCTAssertTrue("\($0)".contains("unknown layer type 'Mamba'"), "\($0)")
            }
        }
        // A Bidirectional wraps recurrent layers only.
        var wrapsDense = LayerConfig(type: "Bidirectional")
        var dense = LayerConfig(type: "Dense"); dense.units = 2
        wrapsDense.layer = LayerConfig.Box(dense)
        XCTAssertThrowsError(try LayerRegistry.makeLayer(wrapsDense)) { XCTAssertTrue("\($0)".contains("wraps SimpleRNN, LSTM or GRU, not Dense"), "\($0)") }
    }

    func testAModelFileNamingAnUnknownKindIsRefusedWithItsName() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("future.safetensors")
        let json = #"{"format": "recurrent-model", "version": 1, "input_shape": [4, 1], "layers": [{"type": "Mamba", "units": 1}]}"#
        try Safetensors(tensors: [("layers.0.weight", Tensor(shape: [1, 1], scalars: [1]))],
                        metadata: [ModelFile.architectureKey: json]).write(to: url)
        XCTAssertThrowsError(try ModelFile.read(from: url)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("future.safetensors"), text)
            XCTAssertTrue(text.contains("unknown layer type 'Mamba'"), text)
        }
    }

    /// A tiny file whose wrapper layers ask for millions of parameters is refused before
    /// anything is built (before the fix, ARHighway and Ensemble escaped the file's budget).
    func testAModelFileIsBoundedByItsTensorsThroughTheWrappers() throws {
        let dir = try makeTemporaryDirectory(self)
        let highway = #"{"type": "ARHighway", "autoregressive": true, "instance_norm": false, "layers": [{"type": "LSTM", "units": 1}, {"type": "Dense", "units": 4096}]}"#
        for (name, layers) in [("highway", "[\(highway)]"), ("ensemble", #"[{"type": "Ensemble", "layers": [\#(highway), \#(highway)]}]"#)] {
            let url = dir.appendingPathComponent("\(name).safetensors")
            let json = #"{"format": "recurrent-model", "version": 1, "input_shape": [3000, 1], "layers": \#(layers)}"#
            try Safetensors(tensors: [("layers.0.ar_bias", Tensor(shape: [1], scalars: [0]))],
                            metadata: [ModelFile.architectureKey: json]).write(to: url)
            let start = Date()
            XCTAssertThrowsError(try ModelFile.read(from: url), name) { error in
                XCTAssertTrue("\(error)".contains("the file's tensors hold only 1"), "\(name): \(error)")
                XCTAssertTrue("\(error)".contains("\(name).safetensors"), "\(name): \(error)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 1, "\(name): refused only after building")
        }
    }

    func testMissingAndInvalidSettingsAreRefused() {
        func config(_ type: String, _ edit: (inout LayerConfig) -> Void) -> LayerConfig {
            var c = LayerConfig(type: type)
            edit(&c)
            return c
        }
        let cases: [(LayerConfig, String)] = [
            (config("LSTM") { _ in }, "LSTM needs 'units'"),
            (config("Dense") { _ in }, "Dense needs 'units'"),
            (config("Dropout") { _ in }, "Dropout needs 'rate'"),
            (config("Dropout") { $0.rate = 1 }, "Dropout rate must be in [0, 1)"),
            (config("Conv1D") { $0.filters = 2 }, "Conv1D needs 'kernel_size'"),
            (config("Conv1D") { $0.filters = 2; $0.kernelSize = 2; $0.activation = .softmax }, "Conv1D does not take softmax"),
            (config("SimpleRNN") { $0.units = 2; $0.activation = .sigmoid }, "SimpleRNN activation must be tanh or relu"),
            (config("Bidirectional") { _ in }, "Bidirectional needs 'layer'"),
            (config("Bidirectional") { var l = LayerConfig(type: "GRU"); l.units = 2; $0.layer = .init(l); $0.merge = "max" }, "merge must be concat or sum"),
            (config("ARHighway") { _ in }, "ARHighway needs 'layers'"),
            (config("Ensemble") { $0.layers = [] }, "Ensemble needs 'layers'"),
        ]
        for (c, expected) in cases {
            XCTAssertThrowsError(try LayerRegistry.makeLayer(c), expected) { XCTAssertTrue("\($0)".contains(expected), "\($0) (expected: \(expected))") }
        }
    }

    func testLimitsAreEnforcedForEveryKindAndInsideWrappers() {
        func config(_ type: String, _ edit: (inout LayerConfig) -> Void) -> LayerConfig {
            var c = LayerConfig(type: type)
            edit(&c)
            return c
        }
        let tooMany = LayerLimits.maxUnits + 1, tooWide = LayerLimits.maxKernelSpan + 1
        let lstm = config("LSTM") { $0.units = tooMany }
        let cases: [(LayerConfig, String)] = [
            (config("Dense") { $0.units = tooMany }, "'units' = \(tooMany) is above the limit of \(LayerLimits.maxUnits)"),
            (config("Dense") { $0.units = 0 }, "'units' must be positive, found 0"),
            (config("GRU") { $0.units = -3 }, "'units' must be positive, found -3"),
            (config("SimpleRNN") { $0.units = 2; $0.bpttSteps = LayerLimits.maxBPTTSteps + 1 }, "'bptt_steps'"),
            (config("Conv1D") { $0.filters = tooMany; $0.kernelSize = 2 }, "'filters'"),
            (config("Conv1D") { $0.filters = 2; $0.kernelSize = tooWide }, "'kernel_size' = \(tooWide)"),
            (config("Conv1D") { $0.filters = 2; $0.kernelSize = 2; $0.dilation = tooWide }, "'dilation' = \(tooWide)"),
            (config("Bidirectional") { $0.layer = .init(lstm) }, "LSTM 'units' = \(tooMany)"),
            (config("ARHighway") { $0.layers = [lstm] }, "LSTM 'units' = \(tooMany)"),
            (config("Ensemble") { $0.layers = [config("ARHighway") { $0.layers = [lstm] }] }, "LSTM 'units' = \(tooMany)"),
        ]
        for (c, expected) in cases {
            XCTAssertThrowsError(try LayerRegistry.makeLayer(c), expected) { XCTAssertTrue("\($0)".contains(expected), "\($0) (expected: \(expected))") }
        }
    }

    /// The parameter budget (`LayerLimits.maxParameters`) is checked before anything is
    /// allocated, for plain layers and for layers inside the wrappers.
    func testParameterBudgetIsCheckedBeforeBuildingForEveryKind() throws {
        let huge = "lstm:20000,dense:1"   // 4·20000·20001 + 8·20000 ≈ 1.6e9 parameters > 2³⁰
        var ensemble = LayerConfig(type: "Ensemble")
        ensemble.layers = try ModelSpec.parse("ar,lstm:12000,dense:1") + ModelSpec.parse("ar,lstm:12000,dense:1")   // 2 × 0.58e9
        let cases: [(String, [LayerConfig], [Int])] = [
            ("plain", try ModelSpec.parse(huge), [3, 1]),
            ("bidirectional", try ModelSpec.parse("bilstm:15000,dense:1"), [3, 1]),
            ("ar wrapper", try ModelSpec.parse("ar," + huge), [3, 1]),
            ("ensemble", [ensemble], [3, 1]),
            ("ar weight [U, L]", try ModelSpec.parse("ar,lstm:1,dense:65536"), [20000, 1]),   // 65536 × 20000 ≈ 1.3e9
        ]
        for (label, configs, shape) in cases {
            var model = try Sequential(configs: configs)
            let start = Date()
            XCTAssertThrowsError(try model.build(inputShape: shape, seed: 1), label) {
                XCTAssertTrue("\($0)".contains("more than \(LayerLimits.maxParameters) parameters"), "\(label): \($0)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 1, "\(label): refused only after allocating")
        }
    }

    func testAKindRegisteredOutsideTheEngineLoadsFromAModelFile() throws {
        LayerRegistry.register("TestScale") { config in
            guard let factor = config.rate else { throw ModelError.invalidConfiguration("TestScale needs 'rate'") }
            return TestScale(factor: factor)
        }
        var model = Sequential(layers: [Dense(2), TestScale(factor: 0.5)])
        try model.build(inputShape: [3], seed: 2)
        let url = try makeTemporaryDirectory(self).appendingPathComponent("scaled.safetensors")
        try model.save(to: url)
        let loaded = try ModelFile.read(from: url).model
        XCTAssertEqual(loaded.layers.map(\.config), model.layers.map(\.config))
        let x = TrainingFixtures.uniform([4, 3], -1, 1, seed: 3)
        XCTAssertEqual(loaded.infer(x), model.infer(x))
        XCTAssertTrue(try Self.registeredKinds().contains("TestScale"))
        var broken = LayerConfig(type: "TestScale")
        broken.units = 1
        XCTAssertThrowsError(try LayerRegistry.makeLayer(broken)) { XCTAssertTrue("\($0)".contains("TestScale needs 'rate'"), "\($0)") }
    }
}

/// A layer type from outside the engine: multiplies its input by a constant (`rate` in its config).
private struct TestScale: Layer {
    let factor: Float
    var parameters: [Parameter] = []
    var config: LayerConfig {
        var c = LayerConfig(type: "TestScale")
        c.rate = factor
        return c
    }
    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
    mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {}
    func infer(_ input: Tensor) -> Tensor { Tensor(shape: input.shape, scalars: input.scalars.map { $0 * factor }) }
    mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor { infer(input) }
    mutating func backward(_ outputGradient: Tensor) -> Tensor { infer(outputGradient) }
}
