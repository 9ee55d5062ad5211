import Forecast
import Foundation
import Recurrent

/// Writes a Recurrent model file as an ONNX model that ONNX Runtime (Python, C++, C#, Java,
/// JavaScript…) runs with no Python or Swift.
///
/// ```swift
/// let options = ONNXExporter.Options(opset: 17, batch: nil, projectVersion: "0.1.0")
/// let summary = try ONNXExporter.export(modelFile: URL(fileURLWithPath: "model.safetensors"),
///                                       to: URL(fileURLWithPath: "model.onnx"), options: options)
/// ```
///
/// A plain model takes `input [batch, time, features]` (time is dynamic when the first layer
/// is recurrent) and returns `output`, what `rnn predict` returns. A forecasting model file
/// (saved by `rnn train`/`rnn demo`) takes `series` and returns `forecast`, in original units,
/// with its scaling and differencing as graph operations (see `PreparationExport`), unless
/// `networkOnly`. Every recurrent layer adds the optional inputs `initial_h.{i}`
/// (`initial_c.{i}`) and the outputs `final_h.{i}` (`final_c.{i}`), `[directions, batch, H]`.
public enum ONNXExporter {
    /// The opsets written: 13 is the first with Squeeze/ReduceSum axes as inputs.
    public static let supportedOpsets = 13...21

    public struct Options: Sendable {
        public var opset: Int
        /// A fixed batch size, or nil for a dynamic one.
        public var batch: Int?
        /// Export only the network of a forecasting model file (scaled inputs and outputs).
        public var networkOnly: Bool
        /// Stored as the producer version and under `recurrent.version`.
        public var projectVersion: String

        public init(opset: Int = 17, batch: Int? = nil, networkOnly: Bool = false, projectVersion: String) {
            self.opset = opset
            self.batch = batch
            self.networkOnly = networkOnly
            self.projectVersion = projectVersion
        }
    }

    /// What an export wrote.
    public struct Summary: Sendable {
        public var inputName: String
        public var inputShape: [String]
        public var outputName: String
        public var outputShape: [String]
        public var nodeCount: Int
        public var bytes: Int
        /// Whether the forecasting preparation is in the graph.
        public var includesPreparation: Bool
    }

    /// Exports `modelFile` to `onnxFile` (written atomically).
    @discardableResult
    public static func export(modelFile: URL, to onnxFile: URL, options: Options) throws -> Summary {
        let (bytes, summary) = try serialize(modelFile: modelFile, options: options)
        try AtomicFile.write(Data(bytes), to: onnxFile)
        return summary
    }

    /// The bytes of the ONNX model for `modelFile`.
    public static func serialize(modelFile: URL, options: Options) throws -> (bytes: [UInt8], summary: Summary) {
        let file = modelFile.lastPathComponent
        guard supportedOpsets.contains(options.opset) else { throw ONNXExportError.unsupportedOpset(options.opset, supported: supportedOpsets) }
        if let b = options.batch, b < 1 { throw ONNXExportError.invalidBatch(b) }

        // Refuse unknown layer types before the model is rebuilt (which would fail less clearly).
        let raw = try Safetensors.read(from: modelFile)
        guard let json = raw.metadata[ModelFile.architectureKey] else { throw ModelFileError.missingArchitecture(file: file) }
        try NetworkExport.check(try ModelFile.parseArchitecture(json, file: file), file: file)
        let contents = try ModelFile.read(from: modelFile)
        let architecture = contents.architecture

        var preparation: PreparationExport?
        if !options.networkOnly, contents.metadata[ForecastModelFile.metadataKey] != nil {
            let stored = try ForecastModelFile.load(from: modelFile)
            preparation = try PreparationExport(setup: stored.setup, scalings: stored.scalings, architecture: architecture, file: file)
        }

        let batch: ONNX.Dimension = options.batch.map { .size($0) } ?? .named("batch")
        var g = GraphBuilder()
        let inputName: String, inputShape: [ONNX.Dimension], outputName: String, outputShape: [ONNX.Dimension]
        let network = NetworkExport(architecture: architecture,
                                    parameters: Dictionary(uniqueKeysWithValues: contents.model.namedParameters.map { ($0.name, $0.parameter.value) }),
                                    stateBatch: batch)
        if let prep = preparation {
            inputName = "series"
            inputShape = [batch, .size(prep.inputSteps), .size(prep.columns.count)]
            outputName = "forecast"
            outputShape = [batch, .size(prep.outputWidth)]
            g.addInput(ONNX.ValueInfo(name: inputName, shape: inputShape,
                                      documentation: "the last \(prep.inputSteps) rows of the series in original units; columns: \(prep.columns.joined(separator: ", "))"))
            let x = prep.prepareInput(inputName, into: &g)
            let y = try network.emit(input: LaidOutValue(name: x, layout: .batchMajor), into: &g)
            _ = prep.finishOutput(y, series: inputName, outputName: outputName, into: &g)
        } else {
            let first = architecture.layers[0].type
            let dynamicTime = architecture.inputShape.count == 2 && ["SimpleRNN", "LSTM", "GRU", "Bidirectional"].contains(first)
            inputName = "input"
            inputShape = [batch] + architecture.inputShape.enumerated().map { k, n in
                k == 0 && dynamicTime ? .named("time") : .size(n)
            }
            let out = try contents.model.layerOutputShapes().last ?? []
            outputName = "output"
            outputShape = [batch] + out.enumerated().map { k, n in
                k == 0 && out.count == 2 && dynamicTime ? .named("time") : .size(n)
            }
            g.addInput(ONNX.ValueInfo(name: inputName, shape: inputShape, documentation: "the network's input, as rnn predict reads it"))
            let layout: TensorLayout = architecture.inputShape.count == 2 ? .batchMajor : .flat
            let y = try network.emit(input: LaidOutValue(name: inputName, layout: layout), into: &g)
            g.node("Identity", [y], outputNames: [outputName])
        }
        // The model's own output first, then the recurrent layers' final states.
        let outputs = [ONNX.ValueInfo(name: outputName, shape: outputShape,
                                      documentation: preparation == nil ? "what rnn predict returns" : forecastDocumentation(preparation!))] + g.outputs

        var metadata = [
            ONNX.StringEntry(key: ModelFile.architectureKey, value: json),
            ONNX.StringEntry(key: "recurrent.version", value: options.projectVersion),
        ]
        if let forecast = contents.metadata[ForecastModelFile.metadataKey] {
            metadata.append(ONNX.StringEntry(key: ForecastModelFile.metadataKey, value: forecast))
            metadata.append(ONNX.StringEntry(key: "recurrent.onnx.preparation", value: preparation == nil ? "none: the network only, on scaled values" : "in the graph: original units in and out"))
        }
        let graph = ONNX.Graph(name: modelFile.deletingPathExtension().lastPathComponent, nodes: g.nodes,
                               initializers: g.initializers, inputs: g.inputs, outputs: outputs,
                               documentation: "exported by rnn export from \(file)")
        let model = ONNX.Model(irVersion: irVersion(forOpset: options.opset), opsets: [ONNX.OperatorSetID(version: Int64(options.opset))],
                               producerName: "recurrent", producerVersion: options.projectVersion, graph: graph, metadata: metadata)
        let bytes = model.serialized()
        func text(_ d: ONNX.Dimension) -> String {
            switch d { case .size(let n): return String(n); case .named(let s): return s }
        }
        return (bytes, Summary(inputName: inputName, inputShape: inputShape.map(text), outputName: outputName,
                               outputShape: outputShape.map(text), nodeCount: g.nodes.count, bytes: bytes.count,
                               includesPreparation: preparation != nil))
    }

    /// The IR version released with each opset (ONNX 1.8: IR 7 with opset 13, …, 1.16: IR 10 with opset 21).
    static func irVersion(forOpset opset: Int) -> Int64 {
        switch opset {
        case ...14: return 7
        case 15...18: return 8
        case 19...20: return 9
        default: return 10
        }
    }

    private static func forecastDocumentation(_ p: PreparationExport) -> String {
        if p.setup.direct { return "the next \(p.setup.horizon) values in original units" }
        return p.setup.horizon > 1
            ? "the next value in original units (a one-step model: feed it back for more steps, as rnn forecast does)"
            : "the next value in original units"
    }
}
