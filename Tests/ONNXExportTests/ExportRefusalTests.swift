import Forecast
import Foundation
import Recurrent
import XCTest
@testable import ONNXExport

/// What cannot be exported is refused with one line naming the file and the layer or setting.
final class ExportRefusalTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-refusal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func message(_ url: URL, _ options: ONNXExporter.Options = .init(projectVersion: "1")) -> String {
        do {
            _ = try ONNXExporter.serialize(modelFile: url, options: options)
            return "exported"
        } catch {
            return "\(error)"
        }
    }

    func testUnknownLayerTypeIsNamedBeforeTheModelIsRebuilt() throws {
        let arch = #"{"format": "recurrent-model", "version": 1, "input_shape": [4, 1], "layers": [{"type": "LSTM", "units": 2}, {"type": "EncoderDecoder", "units": 2}]}"#
        let url = folder.appendingPathComponent("encdec.safetensors")
        try Safetensors(tensors: [], metadata: [ModelFile.architectureKey: arch]).write(to: url)
        let text = message(url)
        XCTAssertEqual(text, "encdec.safetensors: layer 1 (EncoderDecoder) cannot be exported to ONNX; exportable layers: Bidirectional, Conv1D, Dense, Dropout, GRU, LSTM, SimpleRNN")
        XCTAssertFalse(text.contains("\n"))
    }

    func testAStateDictWithoutArchitectureIsRefused() throws {
        let url = folder.appendingPathComponent("plain.safetensors")
        try Safetensors(tensors: [("w", Tensor(shape: [1], scalars: [1]))]).write(to: url)
        XCTAssertTrue(message(url).hasPrefix("plain.safetensors: not a Recurrent model file"), message(url))
    }

    func testForecastSettingsWithoutAGraphFormAreNamed() throws {
        var m = Sequential { LSTM(2); Dense(1) }
        try m.build(inputShape: [4, 1], seed: 1)
        var setup = ExperimentSetup(target: "y", lookback: 4, model: "lstm:2,dense:1")
        setup.transform = .auto
        let url = folder.appendingPathComponent("fc.safetensors")
        try ForecastModelFile.save(m, setup: setup, scalings: [AffineScaling(column: "y", offset: 0, factor: 1)], to: url)
        XCTAssertEqual(message(url), "fc.safetensors: forecasting setting 'transform' cannot be exported to ONNX: 'auto' has no graph form (none, difference and log-return do)")
        // The network alone is still exportable.
        XCTAssertEqual(message(url, .init(networkOnly: true, projectVersion: "1")), "exported")

        setup.transform = .none
        setup.lookback = 6
        try ForecastModelFile.save(m, setup: setup, scalings: [AffineScaling(column: "y", offset: 0, factor: 1)], to: url)
        XCTAssertTrue(message(url).hasPrefix("fc.safetensors: forecasting setting 'lookback' cannot be exported to ONNX"), message(url))
    }

    func testOpsetAndBatchOutOfRange() throws {
        var m = Sequential { Dense(1) }
        try m.build(inputShape: [3], seed: 1)
        let url = folder.appendingPathComponent("d.safetensors")
        try m.save(to: url)
        XCTAssertEqual(message(url, .init(opset: 12, projectVersion: "1")), "opset 12 is not supported; choose 13…21")
        XCTAssertEqual(message(url, .init(batch: 0, projectVersion: "1")), "batch size must be positive or 'dynamic', got 0")
        XCTAssertEqual(message(url, .init(opset: 21, projectVersion: "1")), "exported")
    }
}
