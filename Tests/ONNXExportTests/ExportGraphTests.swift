import Forecast
import Foundation
import Recurrent
import XCTest
@testable import ONNXExport

/// Exported graphs decoded field by field: weights in ONNX's gate order, operators and
/// attributes, dynamic axes, state inputs and outputs, metadata.
final class ExportGraphTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func export(_ model: Sequential, metadata: [String: String] = [:], options: ONNXExporter.Options = .init(projectVersion: "9.9.9")) throws -> DecodedModel {
        let url = folder.appendingPathComponent("m.safetensors")
        try model.save(to: url, metadata: metadata)
        return try DecodedModel(ONNXExporter.serialize(modelFile: url, options: options).bytes)
    }

    /// Parameters set to their flat index, so every moved value can be traced.
    private func numbered(_ model: inout Sequential) throws {
        for (name, p) in model.namedParameters {
            try model.setParameter(name, to: Tensor(shape: p.value.shape, scalars: (0..<p.value.count).map { Float($0) + (name.contains("bias_hh") ? 100 : 0) }))
        }
    }

    func testLSTMWeightsAndBiasesAreInONNXOrderAndLayout() throws {
        var m = Sequential { LSTM(2); Dense(1) }
        try m.build(inputShape: [5, 1], seed: 1)
        try numbered(&m)
        let d = try export(m)
        let w = try XCTUnwrap(d.initializers["layers.0.W"])
        XCTAssertEqual(w.dims, [1, 8, 1])
        XCTAssertEqual(w.floats, [0, 1, 6, 7, 2, 3, 4, 5], "ours i,f,g,o → ONNX i,o,f,c")
        let r = try XCTUnwrap(d.initializers["layers.0.R"])
        XCTAssertEqual(r.dims, [1, 8, 2])
        XCTAssertEqual(Array(r.floats[4..<8]), [12, 13, 14, 15], "R's second block is our o block (rows 6, 7)")
        let b = try XCTUnwrap(d.initializers["layers.0.B"])
        XCTAssertEqual(b.dims, [1, 16])
        XCTAssertEqual(b.floats, [0, 1, 6, 7, 2, 3, 4, 5, 100, 101, 106, 107, 102, 103, 104, 105], "[W_b | R_b]")
        let lstm = try XCTUnwrap(d.nodes.first { $0.op == "LSTM" })
        XCTAssertEqual(lstm.inputs[4], "", "no sequence_lens")
        XCTAssertEqual(lstm.attributes["hidden_size"]?.first(3)?.int, 2)
        XCTAssertNil(lstm.attributes["layout"], "time-major (layout 0)")
        XCTAssertEqual(lstm.outputs[0], "", "Y is not needed without return_sequences")
        // Dense: MatMul by Wᵀ [in, out].
        XCTAssertEqual(d.initializers["layers.1.weight_t"]?.dims, [2, 1])
        XCTAssertEqual(d.nodes.map(\.op).filter { ["Transpose", "LSTM", "Squeeze", "MatMul", "Add", "Identity"].contains($0) },
                       ["Transpose", "LSTM", "Squeeze", "MatMul", "Add", "Identity"])
    }

    func testGRUIsResetAfterAndSimpleRNNKeepsReLU() throws {
        var m = Sequential { GRU(3, returnSequences: true); SimpleRNN(2, activation: .relu); Dense(1) }
        try m.build(inputShape: [4, 2], seed: 2)
        try numbered(&m)
        let d = try export(m)
        let gru = try XCTUnwrap(d.nodes.first { $0.op == "GRU" })
        XCTAssertEqual(gru.attributes["linear_before_reset"]?.first(3)?.int, 1)
        let w = try XCTUnwrap(d.initializers["layers.0.W"])
        XCTAssertEqual(w.dims, [1, 9, 2])
        XCTAssertEqual(Array(w.floats[0..<6]), [6, 7, 8, 9, 10, 11], "ONNX's first block z is our second (rows 3–5)")
        let rnn = try XCTUnwrap(d.nodes.first { $0.op == "RNN" })
        XCTAssertEqual(rnn.attributes["activations"]?.all(9).map(\.string), ["Relu"])
        // The GRU's sequence goes straight into the RNN, time-major: no Transpose between.
        let squeeze = try XCTUnwrap(d.nodes.first { $0.outputs.contains(rnn.inputs[0]) })
        XCTAssertEqual(squeeze.op, "Squeeze")
    }

    func testBidirectionalConcatAndSum() throws {
        var m = Sequential { Bidirectional(LSTM(3, returnSequences: true)); Bidirectional(GRU(2), merge: .sum); Dense(1) }
        try m.build(inputShape: [6, 1], seed: 3)
        let d = try export(m)
        XCTAssertEqual(d.initializers["layers.0.W"]?.dims, [2, 12, 1])
        XCTAssertEqual(d.initializers["layers.1.W"]?.dims, [2, 6, 6], "the second layer reads [h→ | h←], 6 features")
        let cells = d.nodes.filter { ["LSTM", "GRU"].contains($0.op) }
        XCTAssertEqual(cells.map { $0.attributes["direction"]?.first(4)?.string }, ["bidirectional", "bidirectional"])
        XCTAssertTrue(d.nodes.contains { $0.op == "Reshape" && $0.inputs[0].hasPrefix("layers.0.Y_tbdh") }, "concat: [T, B, 2, H] → [T, B, 2H]")
        XCTAssertTrue(d.nodes.contains { $0.op == "ReduceSum" && $0.inputs[0] == "final_h.1" }, "sum of the two final states")
        XCTAssertEqual(d.shapes["final_h.1"], ["2", "batch", "2"])
    }

    func testStatesAreOptionalInputsAndOutputs() throws {
        var m = Sequential { LSTM(4, returnSequences: true); GRU(3); Dense(2) }
        try m.build(inputShape: [7, 2], seed: 4)
        let d = try export(m)
        XCTAssertEqual(d.inputs, ["input", "initial_h.0", "initial_c.0", "initial_h.1"])
        XCTAssertEqual(d.outputs, ["output", "final_h.0", "final_c.0", "final_h.1"])
        let defaultState = try XCTUnwrap(d.initializers["initial_c.0"], "zeros when the input is not fed")
        XCTAssertEqual(defaultState.dims, [1, 1, 4])
        XCTAssertEqual(defaultState.floats, [0, 0, 0, 0])
        XCTAssertTrue(d.nodes.contains { $0.op == "Expand" && $0.inputs[0] == "initial_c.0" })
        XCTAssertEqual(d.shapes["input"], ["batch", "time", "2"])
        XCTAssertEqual(d.shapes["output"], ["batch", "2"])
    }

    func testFixedBatchAndConvFirstModelsHaveFixedAxes() throws {
        var m = Sequential { Conv1D(filters: 3, kernelSize: 3, dilation: 2, activation: .relu); LSTM(2, returnSequences: true); Dense(1) }
        try m.build(inputShape: [9, 2], seed: 5)
        let d = try export(m, options: .init(batch: 7, projectVersion: "1"))
        XCTAssertEqual(d.shapes["input"], ["7", "9", "2"], "Conv1D first: rnn predict takes only the built length")
        XCTAssertEqual(d.shapes["output"], ["7", "9", "1"])
        let conv = try XCTUnwrap(d.nodes.first { $0.op == "Conv" })
        XCTAssertEqual(conv.attributes["pads"]?.all(8).map(\.int), [4, 0], "causal: (K−1)·d zeros before, none after")
        XCTAssertEqual(conv.attributes["dilations"]?.all(8).map(\.int), [2])
        XCTAssertEqual(d.initializers["layers.0.weight"]?.dims, [3, 2, 3], "our Conv1D weight is already ONNX's [M, C, K]")
    }

    func testMetadataAndVersions() throws {
        var m = Sequential { SimpleRNN(2); Dropout(0.3); Dense(1, activation: .sigmoid) }
        try m.build(inputShape: [3, 1], seed: 6)
        let d = try export(m, options: .init(opset: 13, projectVersion: "9.9.9"))
        XCTAssertEqual(d.opset, 13)
        XCTAssertEqual(d.irVersion, 7)
        XCTAssertEqual(d.metadata["recurrent.version"], "9.9.9")
        let arch = try ModelFile.parseArchitecture(try XCTUnwrap(d.metadata["recurrent.architecture"]), file: "onnx")
        XCTAssertEqual(arch.layers.map(\.type), ["SimpleRNN", "Dropout", "Dense"])
        XCTAssertFalse(d.nodes.contains { $0.op == "Dropout" }, "dropout is the identity at inference")
        XCTAssertTrue(d.nodes.contains { $0.op == "Sigmoid" })
    }

    func testForecastPreparationWithDifferencingAndDirectHorizon() throws {
        var m = Sequential { GRU(3); Dense(3) }
        try m.build(inputShape: [5, 2], seed: 7)
        var setup = ExperimentSetup(target: "rate", lookback: 5, model: "gru:3,dense:3")
        setup.features = ["volume"]
        setup.transform = .difference
        setup.direct = true
        setup.horizon = 3
        let url = folder.appendingPathComponent("f.safetensors")
        try ForecastModelFile.save(m, setup: setup, scalings: [AffineScaling(column: "rate", offset: -0.5, factor: 2), AffineScaling(column: "volume", offset: 0, factor: 0.25)], to: url)
        let d = try DecodedModel(ONNXExporter.serialize(modelFile: url, options: .init(projectVersion: "1")).bytes)
        XCTAssertEqual(d.shapes["series"], ["batch", "6", "2"], "one more step than the lookback for the first difference")
        XCTAssertEqual(d.shapes["forecast"], ["batch", "3"])
        XCTAssertEqual(d.initializers["prep.scale_factor"]?.floats, [2, 0.25])
        XCTAssertEqual(d.initializers["prep.scale_offset"]?.floats, [-0.5, 0])
        XCTAssertTrue(d.nodes.contains { $0.op == "CumSum" }, "a direct path of changes is summed from the last level")
        XCTAssertEqual(d.nodes.last?.op, "Add")
        XCTAssertEqual(d.nodes.last?.outputs, ["forecast"])
        XCTAssertNotNil(d.metadata[ForecastModelFile.metadataKey])

        let network = try DecodedModel(ONNXExporter.serialize(modelFile: url, options: .init(networkOnly: true, projectVersion: "1")).bytes)
        XCTAssertEqual(network.shapes["input"], ["batch", "time", "2"])
        XCTAssertFalse(network.nodes.contains { $0.op == "CumSum" })
    }

    func testLogReturnsAndCalendarColumns() throws {
        var m = Sequential { LSTM(2); Dense(1) }
        try m.build(inputShape: [4, 3], seed: 8)
        var setup = ExperimentSetup(target: "pm10", lookback: 4, model: "lstm:2,dense:1")
        setup.transform = .logReturn
        setup.calendar = [.weekday]
        setup.horizon = 5  // recursive: the graph forecasts one step
        let url = folder.appendingPathComponent("l.safetensors")
        try ForecastModelFile.save(m, setup: setup, scalings: [AffineScaling(column: "pm10", offset: 1, factor: 3)], to: url)
        let d = try DecodedModel(ONNXExporter.serialize(modelFile: url, options: .init(projectVersion: "1")).bytes)
        XCTAssertEqual(d.shapes["series"], ["batch", "5", "3"], "target + weekday sin/cos, lookback + 1 steps")
        XCTAssertEqual(d.shapes["forecast"], ["batch", "1"])
        XCTAssertEqual(d.initializers["prep.scale_factor"]?.floats, [3, 1, 1], "calendar columns are not scaled")
        XCTAssertEqual(d.initializers["prep.scale_offset"]?.floats, [1, 0, 0])
        let ops = d.nodes.map(\.op)
        XCTAssertTrue(ops.contains("Log") && ops.contains("Div") && ops.contains("Exp"))
        XCTAssertFalse(ops.contains("CumSum"), "one step: nothing to accumulate")
        XCTAssertEqual(d.nodes.last?.op, "Mul", "last level · exp(r)")
    }
}
