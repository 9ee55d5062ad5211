import Foundation
import Recurrent
import Yams

/// One architecture of a study: a name for the tables, a `ModelSpec` string and how it
/// forecasts more than one step. In a grid file it is a SPEC string or an object
/// `{name, spec, direct, calendar}`.
public struct StudyArchitecture: Codable, Equatable, Sendable {
    /// Unique label in tables and trial ids (letters, digits, `-`, `_`, `+`, `.`).
    public var name: String
    /// Architecture in the `ModelSpec` grammar, e.g. `lstm:32,dense:1`.
    public var spec: String
    /// A direct multi-output head (`dense:H`) instead of a one-step model used recursively.
    public var direct: Bool
    /// Calendar inputs for this architecture; nil uses the grid's.
    public var calendar: [CalendarInput]?
    /// Past covariates: other columns of the data whose values over the lookback are inputs.
    public var features: [String]?
    /// Future-known covariates: columns whose value at the forecast step is an input (horizon 1).
    public var futureFeatures: [String]?
    /// A global model: one network trained on these series of the data (each scaled on its
    /// own), evaluated on the study's target column, which is added when absent.
    public var columns: [String]?

    public init(name: String, spec: String, direct: Bool = false, calendar: [CalendarInput]? = nil,
                features: [String]? = nil, futureFeatures: [String]? = nil, columns: [String]? = nil) {
        self.name = name; self.spec = spec; self.direct = direct; self.calendar = calendar
        self.features = features; self.futureFeatures = futureFeatures; self.columns = columns
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, spec, direct, calendar, features, futureFeatures, columns }

    public init(from decoder: Decoder) throws {
        let place = "architecture \((decoder.codingPath.last?.intValue ?? 0) + 1): "
        if let single = try? decoder.singleValueContainer(), let spec = try? single.decode(String.self) {
            self.init(name: StudyGrid.defaultName(spec), spec: spec)
            return
        }
        guard let c = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw GridFieldError(place + "expected a SPEC string or an object")
        }
        try GridFieldError.refuseUnknownKeys(decoder, allowed: CodingKeys.self, place: place)
        guard let spec = try c.field(String.self, .spec, "a string", place: place) else {
            throw GridFieldError(place + "'spec' must be a string")
        }
        self.init(name: try c.field(String.self, .name, "a string", place: place) ?? StudyGrid.defaultName(spec), spec: spec,
                  direct: try c.field(Bool.self, .direct, "true or false", place: place) ?? false,
                  calendar: try c.field([CalendarInput].self, .calendar, "a list of \(CalendarInput.listed)", place: place),
                  features: try Self.columnList(c, .features, place: place),
                  futureFeatures: try Self.columnList(c, .futureFeatures, place: place),
                  columns: try Self.columnList(c, .columns, place: place))
    }

    private static func columnList(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, place: String) throws -> [String]? {
        let list = try c.field([String].self, key, "a non-empty list of column names", place: place)
        if let list, list.isEmpty { throw GridFieldError(place + "'\(key.rawValue)' must be a non-empty list of column names") }
        return list
    }
}

/// What a study trains: architectures and the training settings they share.
///
/// A grid file is JSON or YAML (`.yaml`/`.yml`, read with Yams) with the same keys:
/// ```json
/// { "epochs": 100, "patience": 10, "batchSize": 32, "learningRate": 0.001,
///   "architectures": [ "lstm:32,dense:1",
///                      {"name": "gru-cal", "spec": "gru:32,dense:1", "calendar": ["weekday", "month"]} ] }
/// ```
/// Unknown keys are errors.
public struct StudyGrid: Codable, Equatable, Sendable {
    public var architectures: [StudyArchitecture]
    public var epochs: Int = 100
    /// Early-stopping patience on the validation loss (best weights restored).
    public var patience: Int = 10
    public var batchSize: Int = 32
    public var learningRate: Float = 0.001
    public var optimizer: OptimizerKind = .adam
    public var loss: LossKind = .mse
    public var clipNorm: Float?
    /// Steps of input; nil takes the command line's (or 14 daily / 24 hourly).
    public var lookback: Int?
    /// Steps ahead; nil takes the command line's (default 1).
    public var horizon: Int?
    /// Calendar inputs shared by all architectures.
    public var calendar: [CalendarInput] = []
    public var transform: TransformKind = .none
    public var scaler: ScalerKind = .minmax
    /// Missing covariate values: `skip` (windows touching one are left out; nil means this) or `carry`.
    public var featureGaps: FeatureGapPolicy?

    public init(architectures: [StudyArchitecture]) { self.architectures = architectures }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case architectures, epochs, patience, batchSize, learningRate, optimizer, loss, clipNorm, lookback, horizon,
             calendar, transform, scaler, featureGaps
    }

    /// Decodes a grid (from JSON, YAML or a stored study plan); unknown keys and wrong types
    /// throw a `GridFieldError` naming the key and what it must be.
    public init(from decoder: Decoder) throws {
        guard let c = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw GridFieldError("expected an object of settings at the top level")
        }
        try GridFieldError.refuseUnknownKeys(decoder, allowed: CodingKeys.self, place: "")
        let list = "a non-empty list of SPEC strings or {name, spec, direct, calendar, features, futureFeatures, columns} objects"
        guard let architectures = try c.field([StudyArchitecture].self, .architectures, list), !architectures.isEmpty else {
            throw GridFieldError("'architectures' must be \(list)")
        }
        self.init(architectures: architectures)
        if let v = try c.field(Int.self, .epochs, "an integer") { epochs = v }
        if let v = try c.field(Int.self, .patience, "an integer") { patience = v }
        if let v = try c.field(Int.self, .batchSize, "an integer") { batchSize = v }
        if let v = try c.field(Float.self, .learningRate, "a number") { learningRate = v }
        if let v = try c.field(OptimizerKind.self, .optimizer, OptimizerKind.listed) { optimizer = v }
        if let v = try c.field(LossKind.self, .loss, LossKind.listed) { loss = v }
        clipNorm = try c.field(Float.self, .clipNorm, "a number")
        lookback = try c.field(Int.self, .lookback, "an integer")
        horizon = try c.field(Int.self, .horizon, "an integer")
        if let v = try c.field([CalendarInput].self, .calendar, "a list of \(CalendarInput.listed)") { calendar = v }
        if let v = try c.field(TransformKind.self, .transform, TransformKind.listed) { transform = v }
        if let v = try c.field(ScalerKind.self, .scaler, ScalerKind.listed) { scaler = v }
        featureGaps = try c.field(FeatureGapPolicy.self, .featureGaps, FeatureGapPolicy.listed)
    }

    /// The syntax of a grid file.
    public enum Syntax: Sendable {
        case json, yaml

        /// YAML for `.yaml` and `.yml` files, JSON otherwise.
        public init(file: String) {
            let ext = (file as NSString).pathExtension.lowercased()
            self = ext == "yaml" || ext == "yml" ? .yaml : .json
        }
    }

    /// The deepest YAML nesting (indentation columns, block markers and brackets) `parse` hands
    /// to Yams, whose recursive parser would overflow the stack on a hostile file.
    public static let maxYAMLNesting = 64

    /// Reads a grid file, JSON or YAML by its extension; errors name the file and the key.
    public static func read(_ url: URL) throws -> StudyGrid {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw StudyError.grid(url.path, "cannot read the file") }
        return try parse(data, file: url.path)
    }

    /// Parses grid text; `file` names the source in errors and, by its extension, the syntax.
    public static func parse(_ data: Data, file: String, syntax: Syntax? = nil) throws -> StudyGrid {
        let syntax = syntax ?? Syntax(file: file)
        do {
            switch syntax {
            case .json: return try JSONDecoder().decode(StudyGrid.self, from: data)
            case .yaml:
                guard let text = String(data: data, encoding: .utf8) else { throw GridFieldError("not UTF-8 text") }
                let depth = YAMLNesting.bound(Array(data))
                guard depth <= maxYAMLNesting else {
                    throw GridFieldError("nested \(depth) levels deep (indentation and brackets); a grid needs 3, at most \(maxYAMLNesting) are read")
                }
                return try YAMLDecoder().decode(StudyGrid.self, from: text)
            }
        } catch {
            if let e = GridFieldError.unwrap(error) { throw StudyError.grid(file, e.message) }
            throw StudyError.grid(file, "not valid \(syntax == .json ? "JSON" : "YAML") (\(GridFieldError.summary(of: error)))")
        }
    }

    /// A readable default name for a spec: `lstm:32:seq,lstm:32,dense:1` → `lstm32-seq_lstm32`.
    static func defaultName(_ spec: String) -> String {
        let tokens = spec.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let body = tokens.last.map { $0.lowercased().hasPrefix("dense") } == true && tokens.count > 1 ? tokens.dropLast() : tokens[...]
        return body.map { $0.replacingOccurrences(of: ":", with: "") }.joined(separator: "_")
    }

    /// The lab preset: SimpleRNN, LSTM and GRU at two widths, stacked LSTM and GRU, a
    /// bidirectional LSTM, an LSTM with dropout, a causal Conv1D front end + LSTM, a GRU
    /// with calendar inputs, and a direct multi-output LSTM head when `horizon` > 1.
    public static func lab(horizon: Int, hourly: Bool) -> StudyGrid {
        var a: [StudyArchitecture] = [
            .init(name: "SimpleRNN-32", spec: "rnn:32,dense:1"),
            .init(name: "SimpleRNN-64", spec: "rnn:64,dense:1"),
            .init(name: "LSTM-32", spec: "lstm:32,dense:1"),
            .init(name: "LSTM-64", spec: "lstm:64,dense:1"),
            .init(name: "GRU-32", spec: "gru:32,dense:1"),
            .init(name: "GRU-64", spec: "gru:64,dense:1"),
            .init(name: "LSTM-32x2", spec: "lstm:32:seq,lstm:32,dense:1"),
            .init(name: "GRU-32x2", spec: "gru:32:seq,gru:32,dense:1"),
            .init(name: "BiLSTM-32", spec: "bilstm:32,dense:1"),
            .init(name: "LSTM-32-dropout", spec: "lstm:32,dropout:0.2,dense:1"),
            .init(name: "Conv1D+LSTM", spec: "conv1d:16:3:relu,lstm:32,dense:1"),
            .init(name: "GRU-32+calendar", spec: "gru:32,dense:1", calendar: hourly ? [.hour, .weekday] : [.weekday, .month]),
        ]
        if horizon > 1 {
            a.append(.init(name: "LSTM-32-direct", spec: "lstm:32,dense:\(horizon)", direct: true))
        }
        return StudyGrid(architectures: a)
    }
}

/// Why a study could not start or go on.
public enum StudyError: Error, CustomStringConvertible, Equatable {
    /// A grid file problem: file, what is wrong.
    case grid(String, String)
    /// A bad architecture: its name, what is wrong.
    case architecture(String, String)
    case invalid(String)
    /// A trials file problem: file, line, what is wrong.
    case trials(String, Int, String)

    public var description: String {
        switch self {
        case let .grid(file, s): return "\(file): \(s)"
        case let .architecture(name, s): return "architecture '\(name)': \(s)"
        case let .invalid(s): return s
        case let .trials(file, line, s): return "\(file):\(line): \(s)"
        }
    }
}
