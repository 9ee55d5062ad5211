import Foundation
import Recurrent

/// One architecture of a study: a name for the tables, a `ModelSpec` string and how it
/// forecasts more than one step.
public struct StudyArchitecture: Codable, Equatable, Sendable {
    /// Unique label in tables and trial ids (letters, digits, `-`, `_`, `+`, `.`).
    public var name: String
    /// Architecture in the `ModelSpec` grammar, e.g. `lstm:32,dense:1`.
    public var spec: String
    /// A direct multi-output head (`dense:H`) instead of a one-step model used recursively.
    public var direct: Bool
    /// Calendar inputs for this architecture; nil uses the grid's.
    public var calendar: [String]?
    /// Past covariates: other columns of the data whose values over the lookback are inputs.
    public var features: [String]?
    /// Future-known covariates: columns whose value at the forecast step is an input (horizon 1).
    public var futureFeatures: [String]?
    /// A global model: one network trained on these series of the data (each scaled on its
    /// own), evaluated on the study's target column, which is added when absent.
    public var columns: [String]?

    public init(name: String, spec: String, direct: Bool = false, calendar: [String]? = nil,
                features: [String]? = nil, futureFeatures: [String]? = nil, columns: [String]? = nil) {
        self.name = name; self.spec = spec; self.direct = direct; self.calendar = calendar
        self.features = features; self.futureFeatures = futureFeatures; self.columns = columns
    }
}

/// What a study trains: architectures and the training settings they share.
///
/// A grid file is JSON (no YAML library is available):
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
    public var optimizer: String = "adam"
    public var loss: String = "mse"
    public var clipNorm: Float?
    /// Steps of input; nil takes the command line's (or 14 daily / 24 hourly).
    public var lookback: Int?
    /// Steps ahead; nil takes the command line's (default 1).
    public var horizon: Int?
    /// Calendar inputs shared by all architectures (`hour`, `weekday`, `month`).
    public var calendar: [String] = []
    /// `none`, `difference` or `log-return`.
    public var transform: String = "none"
    public var scaler: String = "minmax"
    /// Missing covariate values: `skip` (windows touching one are left out; nil means this) or `carry`.
    public var featureGaps: String?

    public init(architectures: [StudyArchitecture]) { self.architectures = architectures }

    static let topKeys: Set<String> = ["architectures", "epochs", "patience", "batchSize", "learningRate", "optimizer",
                                       "loss", "clipNorm", "lookback", "horizon", "calendar", "transform", "scaler", "featureGaps"]
    static let architectureKeys: Set<String> = ["name", "spec", "direct", "calendar", "features", "futureFeatures", "columns"]

    /// Reads a JSON grid file; unknown keys and wrong types are errors naming the key.
    public static func read(_ url: URL) throws -> StudyGrid {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw StudyError.grid(url.path, "cannot read the file") }
        return try parse(data, file: url.path)
    }

    /// Parses grid JSON; `file` names the source in errors.
    public static func parse(_ data: Data, file: String) throws -> StudyGrid {
        func bad(_ s: String) -> StudyError { .grid(file, s) }
        let object: GridJSON
        do { object = try GridJSON.parse(data) } catch {
            throw bad("not valid JSON (\(error)); only JSON grids are supported")
        }
        guard let top = object.object else { throw bad("expected a JSON object at the top level") }
        for key in top.keys.sorted() where !topKeys.contains(key) {
            throw bad("unknown key '\(key)' (allowed: \(topKeys.sorted().joined(separator: ", ")))")
        }
        guard let list = top["architectures"]?.array, !list.isEmpty else {
            throw bad("'architectures' must be a non-empty list of SPEC strings or {name, spec, direct, calendar} objects")
        }
        var architectures: [StudyArchitecture] = []
        for (i, item) in list.enumerated() {
            if let spec = item.string {
                architectures.append(StudyArchitecture(name: defaultName(spec), spec: spec))
            } else if let o = item.object {
                for key in o.keys.sorted() where !architectureKeys.contains(key) {
                    throw bad("architecture \(i + 1): unknown key '\(key)' (allowed: \(architectureKeys.sorted().joined(separator: ", ")))")
                }
                guard let spec = o["spec"]?.string else { throw bad("architecture \(i + 1): 'spec' must be a string") }
                var a = StudyArchitecture(name: defaultName(spec), spec: spec)
                if let v = o["name"] { guard let s = v.string else { throw bad("architecture \(i + 1): 'name' must be a string") }; a.name = s }
                if let v = o["direct"] { guard let b = v.bool else { throw bad("architecture \(i + 1): 'direct' must be true or false") }; a.direct = b }
                if let v = o["calendar"] { guard let c = v.strings else { throw bad("architecture \(i + 1): 'calendar' must be a list of strings") }; a.calendar = c }
                for key in ["features", "futureFeatures", "columns"] {
                    guard let v = o[key] else { continue }
                    guard let c = v.strings, !c.isEmpty else { throw bad("architecture \(i + 1): '\(key)' must be a non-empty list of column names") }
                    switch key { case "features": a.features = c; case "futureFeatures": a.futureFeatures = c; default: a.columns = c }
                }
                architectures.append(a)
            } else {
                throw bad("architecture \(i + 1): expected a SPEC string or an object")
            }
        }
        var grid = StudyGrid(architectures: architectures)
        func int(_ key: String) throws -> Int? {
            guard let v = top[key] else { return nil }
            guard let i = v.integer else { throw bad("'\(key)' must be an integer") }
            return i
        }
        func number(_ key: String) throws -> Double? {
            guard let v = top[key] else { return nil }
            guard let d = v.number else { throw bad("'\(key)' must be a number") }
            return d
        }
        func string(_ key: String) throws -> String? {
            guard let v = top[key] else { return nil }
            guard let s = v.string else { throw bad("'\(key)' must be a string") }
            return s
        }
        if let v = try int("epochs") { grid.epochs = v }
        if let v = try int("patience") { grid.patience = v }
        if let v = try int("batchSize") { grid.batchSize = v }
        if let v = try number("learningRate") { grid.learningRate = Float(v) }
        if let v = try string("optimizer") { grid.optimizer = v }
        if let v = try string("loss") { grid.loss = v }
        if let v = try number("clipNorm") { grid.clipNorm = Float(v) }
        grid.lookback = try int("lookback")
        grid.horizon = try int("horizon")
        if let v = top["calendar"] { guard let c = v.strings else { throw bad("'calendar' must be a list of strings") }; grid.calendar = c }
        if let v = try string("transform") { grid.transform = v }
        if let v = try string("scaler") { grid.scaler = v }
        grid.featureGaps = try string("featureGaps")
        return grid
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
            .init(name: "GRU-32+calendar", spec: "gru:32,dense:1", calendar: hourly ? ["hour", "weekday"] : ["weekday", "month"]),
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
