import Foundation
import Recurrent
import XCTest

/// `rnn export --onnx` as a user runs it: a forecasting model with its preparation, the
/// network alone, and the refusals.
final class ExportCLITests: XCTestCase {
    private func trainedSine(in dir: URL) throws -> URL {
        let out = dir.appendingPathComponent("sine")
        let r = try CLIRunner.run(["demo", "sine", "--epochs", "2", "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out.appendingPathComponent("model.safetensors")
    }

    func testExportsAForecastingModelWithItsPreparationAndTheNetworkAlone() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let model = try trainedSine(in: dir)
        let onnx = dir.appendingPathComponent("sine.onnx")
        let r = try CLIRunner.run(["export", "--model", model.path, "--onnx", onnx.path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try CLIRunner.json(r.stdout)
        XCTAssertEqual(json["input"] as? String, "series")
        XCTAssertEqual(json["input_shape"] as? [String], ["batch", "20", "1"], "the sine demo's lookback is 20")
        XCTAssertEqual(json["output"] as? String, "forecast")
        XCTAssertEqual(json["preparation_in_graph"] as? Bool, true)
        let bytes = try Data(contentsOf: onnx)
        XCTAssertEqual(bytes.count, json["bytes"] as? Int)
        XCTAssertEqual(Array(bytes.prefix(2)), [0x08, 0x08], "ModelProto starts with ir_version 8 (opset 17)")

        let network = dir.appendingPathComponent("net.onnx")
        let n = try CLIRunner.run(["export", "--model", model.path, "--onnx", network.path, "--network-only", "--batch", "4", "--opset", "13"])
        XCTAssertEqual(n.status, 0, n.stderr)
        XCTAssertTrue(n.stdout.contains("input [4, time, 1] → output [4, 1]"), n.stdout)
        XCTAssertEqual(Array(try Data(contentsOf: network).prefix(2)), [0x08, 0x07], "IR 7 for opset 13")
    }

    func testRefusalsAreOneLineAndWriteNothing() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let model = try trainedSine(in: dir)
        let onnx = dir.appendingPathComponent("x.onnx")
        assertCleanFailure(try CLIRunner.run(["export", "--model", model.path, "--onnx", onnx.path, "--batch", "0"]), mentions: "--batch")
        assertCleanFailure(try CLIRunner.run(["export", "--model", model.path, "--onnx", onnx.path, "--opset", "9"]), mentions: "--opset must be 13…21")
        assertCleanFailure(try CLIRunner.run(["export", "--model", model.path, "--onnx", dir.appendingPathComponent("x.pb").path]), mentions: "must end in .onnx")

        let arch = #"{"format": "recurrent-model", "version": 1, "input_shape": [4, 1], "layers": [{"type": "Attention", "units": 2}]}"#
        let odd = dir.appendingPathComponent("odd.safetensors")
        try Safetensors(tensors: [], metadata: [ModelFile.architectureKey: arch]).write(to: odd)
        let r = try CLIRunner.run(["export", "--model", odd.path, "--onnx", onnx.path])
        assertCleanFailure(r, mentions: "odd.safetensors: layer 0 (Attention) cannot be exported to ONNX")
        XCTAssertEqual(r.errorLines.count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: onnx.path))
    }
}
