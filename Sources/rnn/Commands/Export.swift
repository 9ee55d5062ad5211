import ArgumentParser
import Foundation
import ONNXExport

/// `rnn export`: a saved model as an ONNX model for ONNX Runtime.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a saved model to ONNX (--onnx), to run it with ONNX Runtime in Python, C++, C#, Java or a browser.",
        discussion: """
        A plain model takes 'input' [batch, time, features] and returns 'output', what rnn predict \
        returns. A model saved by rnn train or rnn demo takes 'series' (the last lookback rows, one \
        more with differencing or log-returns; columns target, features, calendar sin/cos) and \
        returns 'forecast' in original units: the stored scaling and differencing are graph \
        operations (--network-only leaves them out). Every recurrent layer i adds the optional \
        inputs initial_h.i (initial_c.i for LSTM), zeros when not fed, and the outputs final_h.i \
        (final_c.i), each [directions, batch, units].
        """
    )

    @OptionGroup var file: ModelFileOption

    @Option(help: "Where to write the ONNX model (.onnx).")
    var onnx: String

    @Option(help: "ONNX opset, \(ONNXExporter.supportedOpsets.lowerBound)…\(ONNXExporter.supportedOpsets.upperBound).")
    var opset = 17

    @Option(help: "Batch size: 'dynamic' or a positive number.")
    var batch = "dynamic"

    @Flag(help: "For a forecasting model, export the network alone (scaled inputs and outputs, as rnn predict sees them).")
    var networkOnly = false

    @OptionGroup var summary: JSONSummaryFlag

    func validate() throws {
        guard onnx.hasSuffix(".onnx") else { throw ValidationError("--onnx must end in .onnx, got '\(onnx)'") }
        guard batch == "dynamic" || (Int(batch).map { $0 > 0 } ?? false) else {
            throw ValidationError("--batch must be 'dynamic' or a positive number, got '\(batch)'")
        }
        guard ONNXExporter.supportedOpsets.contains(opset) else {
            throw ValidationError("--opset must be \(ONNXExporter.supportedOpsets.lowerBound)…\(ONNXExporter.supportedOpsets.upperBound), got \(opset)")
        }
    }

    func run() throws {
        let options = ONNXExporter.Options(opset: opset, batch: Int(batch), networkOnly: networkOnly,
                                           projectVersion: RNN.configuration.version)
        let s = try ONNXExporter.export(modelFile: URL(fileURLWithPath: file.model), to: URL(fileURLWithPath: onnx), options: options)
        if summary.json {
            Console.json(ExportJSON(onnxPath: onnx, opset: opset, input: s.inputName, inputShape: s.inputShape, output: s.outputName,
                                    outputShape: s.outputShape, nodes: s.nodeCount, bytes: s.bytes, preparationInGraph: s.includesPreparation))
        } else {
            Console.out("wrote \(onnx): \(s.inputName) [\(s.inputShape.joined(separator: ", "))] → \(s.outputName) [\(s.outputShape.joined(separator: ", "))], \(s.nodeCount) nodes, opset \(opset), \(s.bytes) bytes"
                        + (s.includesPreparation ? "; the stored preparation is in the graph (original units in and out)" : ""))
        }
    }
}
