import Foundation

/// The architecture record of a model file: what `recurrent.architecture` holds.
///
/// ```json
/// {"format": "recurrent-model", "version": 1, "input_shape": [60, 1],
///  "layers": [{"type": "LSTM", "units": 50, "return_sequences": true}, {"type": "Dense", "units": 1}]}
/// ```
public struct ModelArchitecture: Codable, Equatable, Sendable {
    public static let formatName = "recurrent-model"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// The model's input shape without the batch dimension, e.g. `[T, F]`.
    public var inputShape: [Int]
    public var layers: [LayerConfig]

    public init(inputShape: [Int], layers: [LayerConfig]) {
        format = Self.formatName
        version = Self.currentVersion
        self.inputShape = inputShape
        self.layers = layers
    }

    /// The architecture of a built model.
    public init(_ model: Sequential) throws {
        guard let shape = model.inputShape else { throw ModelError.notBuilt }
        self.init(inputShape: shape, layers: model.layers.map(\.config))
    }

    enum CodingKeys: String, CodingKey {
        case format, version, layers
        case inputShape = "input_shape"
    }

    /// Compact JSON with sorted keys.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Why a model file could not be saved or loaded. Messages start with the file.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    /// The file has no `recurrent.architecture` metadata (e.g. a plain state dict).
    case missingArchitecture(file: String)
    /// The architecture record is not valid JSON of the expected form, or does not build.
    case invalidArchitecture(file: String, reason: String)
    /// Written by a newer (or unknown) version of the format.
    case unsupportedVersion(file: String, version: Int)
    /// Model parameters with no tensor in the file.
    case missingTensors(file: String, names: [String])
    /// File tensors that match no model parameter.
    case unexpectedTensors(file: String, names: [String])
    /// A tensor whose shape differs from the parameter's.
    case shapeMismatch(file: String, tensor: String, fileShape: [Int], modelShape: [Int])
    /// Two file tensors map to the same parameter.
    case duplicateTensor(file: String, parameter: String, sources: [String])
    /// Metadata keys starting with `recurrent.architecture` are reserved.
    case reservedMetadataKey(file: String, key: String)
    /// Saving needs a built model.
    case notBuilt(file: String)

    public var description: String {
        switch self {
        case let .missingArchitecture(f):
            return "\(f): not a Recurrent model file: no '\(ModelFile.architectureKey)' metadata (for a plain state dict use load(weightsFrom:into:))"
        case let .invalidArchitecture(f, r):
            return "\(f): invalid '\(ModelFile.architectureKey)' metadata: \(r)"
        case let .unsupportedVersion(f, v):
            return "\(f): model file version \(v) is not supported (this version of Recurrent reads version \(ModelArchitecture.currentVersion))"
        case let .missingTensors(f, names):
            return "\(f): missing \(names.count == 1 ? "tensor" : "tensors") for the architecture: \(names.joined(separator: ", "))"
        case let .unexpectedTensors(f, names):
            return "\(f): \(names.count == 1 ? "tensor" : "tensors") not in the architecture: \(names.joined(separator: ", "))"
        case let .shapeMismatch(f, t, fs, ms):
            return "\(f): \(t): file has \(fs), the architecture needs \(ms)"
        case let .duplicateTensor(f, p, s):
            return "\(f): tensors \(s.joined(separator: ", ")) all map to parameter \(p)"
        case let .reservedMetadataKey(f, k):
            return "\(f): metadata key '\(k)' is reserved for the architecture"
        case let .notBuilt(f):
            return "\(f): cannot save a model that has not been built"
        }
    }
}

/// Maps tensor names of a state dict to `Sequential` parameter names (`layers.{i}.{name}`).
/// Returning nil leaves the tensor unused.
///
/// ```swift
/// // torch.nn.LSTM(num_layers: 2) saved as weight_ih_l0 … bias_hh_l1, into
/// // Sequential { LSTM(4, returnSequences: true); LSTM(4, returnSequences: true) }
/// try model.loadWeights(from: url, mapping: .pytorchRNN(layers: [0, 1]))
/// // an nn.Module with `self.lstm` and `self.fc`, into Sequential { LSTM(4); Dense(1) }
/// let m = WeightNameMapping.pytorchRNN(layers: [0], sourcePrefix: "lstm.")
///     .orElse(.renaming(["fc.weight": "layers.1.weight", "fc.bias": "layers.1.bias"]))
/// ```
public struct WeightNameMapping: Sendable {
    public let map: @Sendable (String) -> String?

    public init(_ map: @escaping @Sendable (String) -> String?) { self.map = map }

    /// Names are used as they are.
    public static let identity = WeightNameMapping { $0 }

    /// Prepends `prefix`, e.g. `.prefix("layers.0.")` for a single layer's state dict.
    public static func prefix(_ prefix: String) -> WeightNameMapping {
        WeightNameMapping { prefix + $0 }
    }

    /// Names listed in `table` are renamed; others are left unused.
    public static func renaming(_ table: [String: String]) -> WeightNameMapping {
        WeightNameMapping { table[$0] }
    }

    /// A PyTorch `nn.RNN`/`nn.LSTM`/`nn.GRU` state dict (optionally under `sourcePrefix`, e.g.
    /// `"lstm."`): `{weight,bias}_{ih,hh}_l{k}[_reverse]` goes to `layers.{layers[k]}.…_l0[_reverse]`.
    /// Other names, and stacked layers beyond `layers`, are left unused.
    public static func pytorchRNN(layers: [Int], sourcePrefix: String = "") -> WeightNameMapping {
        WeightNameMapping { name in
            guard name.hasPrefix(sourcePrefix) else { return nil }
            var rest = Substring(name.dropFirst(sourcePrefix.count))
            var suffix = ""
            if rest.hasSuffix("_reverse") {
                suffix = "_reverse"
                rest = rest.dropLast("_reverse".count)
            }
            guard let base = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].first(where: { rest.hasPrefix($0 + "_l") }) else { return nil }
            let digits = rest.dropFirst(base.count + 2)
            guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let k = Int(digits),
                  k < layers.count else { return nil }
            return "layers.\(layers[k]).\(base)_l0\(suffix)"
        }
    }

    /// This mapping, or `other` where this one gives nil.
    public func orElse(_ other: WeightNameMapping) -> WeightNameMapping {
        let first = map, second = other.map
        return WeightNameMapping { first($0) ?? second($0) }
    }
}

/// Model files: one `.safetensors` file with every parameter under its `Sequential` name in
/// PyTorch's layout (`layers.0.weight_ih_l0` …, F32) and, in `__metadata__`,
/// `recurrent.architecture` (see `ModelArchitecture`) plus any user entries (e.g.
/// `recurrent.training`: free JSON describing loss, optimizer, scaler, windows…).
///
/// ```swift
/// try model.save(to: url, metadata: [ModelFile.trainingKey: #"{"loss": "mse", "epochs": 20}"#])
/// let loaded = try ModelFile.read(from: url)   // .model, .metadata, .architecture
/// let same = try Sequential.load(from: url)
/// ```
public enum ModelFile {
    /// The metadata key of the architecture JSON.
    public static let architectureKey = "recurrent.architecture"
    /// The conventional key for training details (free JSON text).
    public static let trainingKey = "recurrent.training"

    /// What a model file holds.
    public struct Contents: Sendable {
        /// The rebuilt model with the file's parameters.
        public var model: Sequential
        public var architecture: ModelArchitecture
        /// The file's metadata except the architecture.
        public var metadata: [String: String]
    }

    /// Writes `model` (built) with its architecture and `metadata`, atomically.
    public static func save(_ model: Sequential, to url: URL, metadata: [String: String] = [:]) throws {
        let file = url.lastPathComponent
        guard model.isBuilt else { throw ModelFileError.notBuilt(file: file) }
        if metadata.keys.contains(architectureKey) { throw ModelFileError.reservedMetadataKey(file: file, key: architectureKey) }
        var meta = metadata
        meta[architectureKey] = try ModelArchitecture(model).jsonString()
        let st = Safetensors(tensors: model.namedParameters.map { ($0.name, $0.parameter.value) }, metadata: meta)
        try st.write(to: url)
    }

    /// Reads a model file: rebuilds the architecture and sets every parameter.
    public static func read(from url: URL) throws -> Contents {
        try contents(of: try Safetensors.read(from: url), file: url.lastPathComponent)
    }

    /// Reads a model file already in memory; `file` names it in errors.
    public static func read(data: Data, file: String) throws -> Contents {
        try contents(of: try Safetensors(data: data, source: file), file: file)
    }

    private static func contents(of st: Safetensors, file: String) throws -> Contents {
        guard let json = st.metadata[architectureKey] else { throw ModelFileError.missingArchitecture(file: file) }
        let arch = try parseArchitecture(json, file: file)
        try checkBudget(arch, against: st, file: file)
        var model: Sequential
        do {
            model = try Sequential(configs: arch.layers)
            try Initializers.$drawsRandomValues.withValue(false) { try model.build(inputShape: arch.inputShape, seed: 0) }
        } catch {
            throw ModelFileError.invalidArchitecture(file: file, reason: "\(error)")
        }
        try assign(st, to: &model, mapping: .identity, allowMissing: false, allowUnused: false, file: file)
        var meta = st.metadata
        meta[architectureKey] = nil
        return Contents(model: model, architecture: arch, metadata: meta)
    }

    /// Decodes and checks an architecture record.
    public static func parseArchitecture(_ json: String, file: String) throws -> ModelArchitecture {
        /// The fields checked before the rest is decoded, so a file of another format or
        /// version is named as such rather than as a decoding failure.
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        let data = Data(json.utf8)
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            // A wrong-typed field is reported as such; anything else is not a JSON object.
            var path: [any CodingKey] = []
            switch error as? DecodingError {
            case .typeMismatch(_, let c)?, .dataCorrupted(let c)?, .valueNotFound(_, let c)?: path = c.codingPath
            default: break
            }
            if let key = path.first?.stringValue, key == "format" || key == "version" {
                throw ModelFileError.invalidArchitecture(file: file, reason: key == "format" ? "'format' is not \"\(ModelArchitecture.formatName)\"" : "'version' is missing or not an integer")
            }
            throw ModelFileError.invalidArchitecture(file: file, reason: "not a JSON object")
        }
        guard header.format == ModelArchitecture.formatName else {
            throw ModelFileError.invalidArchitecture(file: file, reason: "'format' is not \"\(ModelArchitecture.formatName)\"")
        }
        guard let version = header.version else {
            throw ModelFileError.invalidArchitecture(file: file, reason: "'version' is missing or not an integer")
        }
        guard version == ModelArchitecture.currentVersion else { throw ModelFileError.unsupportedVersion(file: file, version: version) }
        let arch: ModelArchitecture
        do {
            arch = try JSONDecoder().decode(ModelArchitecture.self, from: data)
        } catch {
            throw ModelFileError.invalidArchitecture(file: file, reason: decodingReason(error))
        }
        guard !arch.inputShape.isEmpty, arch.inputShape.allSatisfy({ $0 > 0 && $0 <= 1 << 30 }) else {
            throw ModelFileError.invalidArchitecture(file: file, reason: "input_shape \(arch.inputShape) is not a list of positive sizes")
        }
        guard !arch.layers.isEmpty else { throw ModelFileError.invalidArchitecture(file: file, reason: "no layers") }
        return arch
    }

    /// Checks, before anything is built, that the architecture's sizes are within
    /// `LayerLimits` and that the parameters it implies are not far more than the file's
    /// tensors hold — so a small file cannot ask for a huge model.
    static func checkBudget(_ arch: ModelArchitecture, against st: Safetensors, file: String) throws {
        func invalid(_ reason: String) -> ModelFileError { .invalidArchitecture(file: file, reason: reason) }
        guard arch.inputShape.count == 2 || arch.inputShape.count == 1 else {
            throw invalid("input_shape \(arch.inputShape) must be [time, features] or [features]")
        }
        if arch.inputShape.count == 2, arch.inputShape[0] > LayerLimits.maxSequenceLength {
            throw invalid("input_shape time \(arch.inputShape[0]) is above the limit of \(LayerLimits.maxSequenceLength)")
        }
        let features = arch.inputShape.last!
        guard features <= LayerLimits.maxFeatures else {
            throw invalid("input_shape features \(features) is above the limit of \(LayerLimits.maxFeatures)")
        }
        let expected: Int
        do {
            let time = arch.inputShape.count == 2 ? arch.inputShape[0] : nil
            guard let count = try LayerLimits.parameterCount(of: arch.layers, features: features, time: time) else { return }   // a registered extension type
            expected = count
        } catch let e as LayerBudgetError {
            throw invalid("layer \(e.index) (\(e.type)): \(e.reason)")
        }
        // Exact name and shape checks follow once the model is built (with messages naming the
        // tensor); here only what building would allocate is bounded by what the file holds.
        let held = st.entries.reduce(0) { $0 + $1.tensor.shape.reduce(1, *) }
        guard expected <= max(2 * held, held + (1 << 20)) else {
            throw invalid("the layers need \(expected) parameters, the file's tensors hold only \(held)")
        }
    }

    /// Loads a state dict (e.g. from `safetensors.torch.save_file(module.state_dict())`) into a
    /// built `model`. File names go through `mapping`; by default every model parameter must
    /// be set and every file tensor used. Nothing changes when an error is thrown.
    public static func loadWeights(from url: URL, into model: inout Sequential, mapping: WeightNameMapping = .identity,
                                   allowMissing: Bool = false, allowUnused: Bool = false) throws {
        let file = url.lastPathComponent
        guard model.isBuilt else { throw ModelError.notBuilt }
        let st = try Safetensors.read(from: url)
        try assign(st, to: &model, mapping: mapping, allowMissing: allowMissing, allowUnused: allowUnused, file: file)
    }

    /// Sets `model`'s parameters from `st` after checking names and shapes (all or nothing).
    static func assign(_ st: Safetensors, to model: inout Sequential, mapping: WeightNameMapping,
                       allowMissing: Bool, allowUnused: Bool, file: String) throws {
        let params = model.namedParameters
        let shapes = Dictionary(params.map { ($0.name, $0.parameter.value.shape) }, uniquingKeysWith: { a, _ in a })
        var values: [String: Tensor] = [:]
        var sources: [String: [String]] = [:]
        var unused: [String] = []
        var sourceName: [String: String] = [:]
        for e in st.entries {
            guard let target = mapping.map(e.name), shapes[target] != nil else {
                unused.append(e.name)
                continue
            }
            sources[target, default: []].append(e.name)
            sourceName[target] = e.name
            values[target] = e.tensor
        }
        if let (p, s) = sources.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw ModelFileError.duplicateTensor(file: file, parameter: p, sources: s)
        }
        // Shape errors in the model's parameter order, so the first layer is reported first.
        for (name, _) in params {
            guard let v = values[name], let shape = shapes[name], v.shape != shape else { continue }
            let source = sourceName[name] ?? name
            let label = source == name ? name : "\(source) (as \(name))"
            throw ModelFileError.shapeMismatch(file: file, tensor: label, fileShape: v.shape, modelShape: shape)
        }
        let missing = params.map(\.name).filter { values[$0] == nil }
        if !missing.isEmpty, !allowMissing { throw ModelFileError.missingTensors(file: file, names: missing) }
        if !unused.isEmpty, !allowUnused { throw ModelFileError.unexpectedTensors(file: file, names: unused) }
        // In place: every layer updates its own parameters (`updateEachParameter`).
        model.updateParameters { name, p in
            if let v = values[name] { p.value = v }
        }
    }

    private static func decodingReason(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch e {
        case let .keyNotFound(key, c): return "missing '\(key.stringValue)'\(path(c))"
        case let .typeMismatch(_, c): return "wrong type\(path(c)): \(c.debugDescription)"
        case let .valueNotFound(_, c): return "missing value\(path(c))"
        case let .dataCorrupted(c): return "\(c.debugDescription)\(path(c))"
        @unknown default: return "\(error)"
        }
    }
}

extension Sequential {
    /// Saves the built model to a `.safetensors` model file (atomically); see `ModelFile`.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try ModelFile.save(self, to: url, metadata: metadata)
    }

    /// Loads a model saved by `save(to:metadata:)`.
    public static func load(from url: URL) throws -> Sequential {
        try ModelFile.read(from: url).model
    }

    /// Loads a plain state dict into `model` (built); see `ModelFile.loadWeights`.
    public static func load(weightsFrom url: URL, into model: inout Sequential, mapping: WeightNameMapping = .identity,
                            allowMissing: Bool = false, allowUnused: Bool = false) throws {
        try ModelFile.loadWeights(from: url, into: &model, mapping: mapping, allowMissing: allowMissing, allowUnused: allowUnused)
    }

    /// Loads a plain state dict into this (built) model; see `ModelFile.loadWeights`.
    public mutating func loadWeights(from url: URL, mapping: WeightNameMapping = .identity,
                                     allowMissing: Bool = false, allowUnused: Bool = false) throws {
        try ModelFile.loadWeights(from: url, into: &self, mapping: mapping, allowMissing: allowMissing, allowUnused: allowUnused)
    }
}
