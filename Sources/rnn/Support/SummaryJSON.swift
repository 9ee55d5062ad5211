import Forecast

// The `--json` objects of summary, predict and export (snake_case keys, as documented).

/// `rnn summary --json`.
struct ModelSummaryJSON: Encodable {
    struct Layer: Encodable {
        struct TensorShape: Encodable { var name: String; var shape: [Int] }
        var index: Int
        var type: String
        var outputShape: [Int]
        var parameters: Int
        var tensors: [TensorShape]
        enum CodingKeys: String, CodingKey { case index, type, parameters, tensors, outputShape = "output_shape" }
    }
    var inputShape: [Int]
    var parameters: Int
    var layers: [Layer]
    var spec: String
    enum CodingKeys: String, CodingKey { case parameters, layers, spec, inputShape = "input_shape" }
}

/// `rnn predict --json`.
struct PredictionJSON: Encodable {
    var inputShape, outputShape: [Int]
    var outputPath: String
    var seconds: JSONNumber
    var prepared: Bool
    enum CodingKeys: String, CodingKey {
        case seconds, prepared, inputShape = "input_shape", outputShape = "output_shape", outputPath = "output_path"
    }
}

/// `rnn export --json`.
struct ExportJSON: Encodable {
    var onnxPath: String
    var opset: Int
    var input: String
    var inputShape: [String]
    var output: String
    var outputShape: [String]
    var nodes, bytes: Int
    var preparationInGraph: Bool
    enum CodingKeys: String, CodingKey {
        case opset, input, output, nodes, bytes
        case onnxPath = "onnx_path", inputShape = "input_shape", outputShape = "output_shape", preparationInGraph = "preparation_in_graph"
    }
}
