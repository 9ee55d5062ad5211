import Foundation
import Recurrent

/// One finished trial as stored in `trials.jsonl`: what the report needs.
public struct TrialRecord: Codable, Equatable, Sendable {
    /// `architecture#seed`.
    public var id: String
    public var architecture: String
    public var spec: String
    public var seed: UInt64
    /// Test metrics in original units.
    public var rmse: Double
    public var mae: Double
    public var r2: Double
    public var mase: Double
    public var parameters: Int
    /// Training time (fit only).
    public var seconds: Double
    public var epochs: Int
    /// The 0-based epoch whose weights were kept (early stopping), if any.
    public var bestEpoch: Int?
    /// Training and validation loss per epoch (scaled units).
    public var loss: [Double]
    public var valLoss: [Double]
    /// Test-part predictions `[window][step]` flattened, original units, as Float32.
    public var predictions: [Float]
    /// Set when training failed (the metrics are then NaN and the trial is left out).
    public var error: String?
    /// Where the trial ran: the host name, the shard `i/n` and the Slurm job (`job_task`), when known.
    public var host: String?
    public var shard: String?
    public var job: String?
    /// The whole trial (preparation, training, evaluation), as against `seconds` (training only).
    public var trialSeconds: Double?
}

/// What every trial of a study shares: the test part's times and actual values and the
/// baselines' forecasts. Stored once per study folder as `reference.json`.
public struct StudyReference: Codable, Equatable, Sendable {
    public struct Baseline: Codable, Equatable, Sendable {
        public var name: String
        /// `[window][step]` flattened.
        public var predictions: [Double]
        public var rmse: Double
        public var mae: Double
        public var r2: Double
        public var mase: Double
        /// For a linear ARX: the architectures whose inputs it has (nil for the other baselines).
        public var architectures: [String]?
    }

    public var horizon: Int
    /// Target time of each test value `[window][step]` flattened, ISO `yyyy-MM-ddTHH:mm`.
    public var times: [String]
    /// Actual levels `[window][step]` flattened (NaN where missing).
    public var actual: [Double]
    public var baselines: [Baseline]
    public var testWindows: Int
    public var trainWindows: Int
    public var validationWindows: Int
    /// In-sample MAE of the seasonal naive forecast on the training part (the MASE scale).
    public var maseScale: Double

    /// Builds the reference from any trial's experiment result.
    public init(_ r: ExperimentResult) {
        horizon = r.setup.horizon
        times = r.testTimes.flatMap { $0.map(StudyReference.iso) }
        actual = r.actual.flatMap { $0 }
        baselines = r.methods.filter { $0.name != "model" }.map {
            Baseline(name: $0.name, predictions: $0.paths.flatMap { $0 }, rmse: $0.metrics.rmse, mae: $0.metrics.mae,
                     r2: $0.metrics.r2, mase: $0.metrics.mase)
        }
        testWindows = r.data.testWindows
        trainWindows = r.data.trainWindows
        validationWindows = r.data.validationWindows
        let p = r.method("persistence")?.metrics
        maseScale = p.map { $0.mae / $0.mase } ?? .nan
    }

    static func iso(_ t: LocalDateTime) -> String {
        String(format: "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour, t.minute)
    }

    /// Parses a time written by `iso`.
    static func time(_ s: String) -> LocalDateTime? {
        let parts = s.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
        guard parts.count == 5 else { return nil }
        return LocalDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4])
    }

    public var bestBaseline: Baseline? { baselines.filter { $0.rmse.isFinite }.min { $0.rmse < $1.rmse } }
    public func baseline(_ name: String) -> Baseline? { baselines.first { $0.name == name } }
}

extension TrialRecord {
    /// The record of a trained experiment.
    init(trial: StudyTrial, architecture a: StudyArchitecture, result r: ExperimentResult) {
        let m = r.method("model")!
        id = trial.id; architecture = a.name; spec = a.spec; seed = trial.seed
        rmse = m.metrics.rmse; mae = m.metrics.mae; r2 = m.metrics.r2; mase = m.metrics.mase
        parameters = r.model.parameterCount
        seconds = r.trainSeconds
        epochs = r.history.epochsRun
        bestEpoch = r.history.bestEpoch
        loss = r.history["loss"]
        valLoss = r.history["val_loss"]
        predictions = m.paths.flatMap { $0 }.map { Float($0) }
        error = nil
    }

    /// The record of a trial whose training failed.
    init(trial: StudyTrial, architecture a: StudyArchitecture, failure: String, parameters: Int) {
        id = trial.id; architecture = a.name; spec = a.spec; seed = trial.seed
        rmse = .nan; mae = .nan; r2 = .nan; mase = .nan
        self.parameters = parameters
        seconds = 0; epochs = 0; bestEpoch = nil; loss = []; valLoss = []; predictions = []
        error = failure
    }
}

/// JSON coding for study files: NaN and infinities as strings, sorted keys.
enum StudyJSON {
    static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
