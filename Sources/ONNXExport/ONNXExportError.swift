/// Why a model could not be exported. Each message is one line naming the file and the layer
/// or setting at fault.
public enum ONNXExportError: Error, CustomStringConvertible, Equatable {
    /// A layer type with no ONNX form here.
    case unsupportedLayer(file: String, layer: Int, type: String)
    /// A forecasting setting the graph cannot express.
    case unsupportedSetting(file: String, setting: String, reason: String)
    /// An opset outside the range the exporter writes.
    case unsupportedOpset(Int, supported: ClosedRange<Int>)
    /// A batch size that is not positive.
    case invalidBatch(Int)
    /// A layer's tensor missing from the model (an inconsistent file).
    case missingParameter(layer: Int, name: String)

    public var description: String {
        switch self {
        case let .unsupportedLayer(f, i, t):
            return "\(f): layer \(i) (\(t)) cannot be exported to ONNX; exportable layers: \(NetworkExport.exportableTypes.sorted().joined(separator: ", "))"
        case let .unsupportedSetting(f, s, r):
            return "\(f): forecasting setting '\(s)' cannot be exported to ONNX: \(r)"
        case let .unsupportedOpset(n, r):
            return "opset \(n) is not supported; choose \(r.lowerBound)…\(r.upperBound)"
        case let .invalidBatch(n):
            return "batch size must be positive or 'dynamic', got \(n)"
        case let .missingParameter(i, n):
            return "layer \(i) has no parameter '\(n)'"
        }
    }
}
