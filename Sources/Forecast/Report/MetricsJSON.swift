import Foundation
import Recurrent

/// `metrics.json` (and `--json`) of `rnn train`, `evaluate` and `forecast`: the stable keys
/// documented in the README. Absent optional values are written as `null`, as they always were.
public struct ExperimentMetricsJSON: Encodable, Sendable {
    public var test: [String: JSONOutput.MethodMetrics]
    public var epochs: Int
    public var trainSeconds: JSONNumber
    public var modelPath: String?
    public var parameters: Int
    public var unit, target, modelSpec: String
    public var lookback, horizon: Int
    public var transform: TransformKind
    /// The frequency's name, or `steps`.
    public var frequency: String
    public var seasonalPeriod, ensemble: Int
    public var stopReason: String
    public var bestBaseline: String?
    public var verdict: Verdict.JSON?
    public var data: DataJSON
    public var dieboldMariano: [String: ModelComparison.JSON]
    /// Present when training ran: the last epoch's losses (null when not recorded).
    public var finalLoss: JSONNumber??
    public var finalValLoss: JSONNumber??
    public var forecast: [ForecastPoint]?
    var intervals: IntervalReport.JSON?
    /// Keys a caller adds (e.g. a demo's comparison); they replace built-in keys of the same name.
    public var extra: [String: JSONValue] = [:]

    /// The `data` object: what was read, cleaned and windowed.
    public struct DataJSON: Encodable, Sendable {
        var rows: Int
        var first, last: String
        var missingTargetValues, windows, trainWindows, validationWindows, testWindows: Int
        var inputFeatures: [String]
        var gapsFilled, insertedSteps: Int
        var cleaning, covariates: [String]

        enum CodingKeys: String, CodingKey {
            case rows, first, last, windows, cleaning, covariates
            case missingTargetValues = "missing_target_values", trainWindows = "train_windows"
            case validationWindows = "validation_windows", testWindows = "test_windows", inputFeatures = "input_features"
            case gapsFilled = "gaps_filled", insertedSteps = "inserted_steps"
        }
    }

    /// One forecast value past the data: its time (or `step N`) and value.
    public struct ForecastPoint: Encodable, Sendable {
        var time: String
        var value: JSONNumber
    }

    init(_ r: ExperimentResult, modelPath: String?, extra: [String: JSONValue]) {
        test = Dictionary(r.methods.map { ($0.name, JSONOutput.metrics($0.metrics)) }, uniquingKeysWith: { a, _ in a })
        epochs = r.history.epochsRun
        trainSeconds = JSONNumber(r.trainSeconds)
        self.modelPath = modelPath
        parameters = r.model.parameterCount
        unit = r.setup.unit; target = r.setup.target; modelSpec = r.setup.model
        lookback = r.setup.lookback; horizon = r.setup.horizon
        transform = r.setup.transform
        frequency = r.setup.frequency?.description ?? "steps"
        seasonalPeriod = r.setup.seasonalPeriod
        ensemble = r.setup.ensemble ?? 1
        stopReason = r.history.epochsRun == 0 ? "not trained here" : "\(r.history.stopReason)"
        bestBaseline = r.bestBaseline?.name
        verdict = r.verdict?.jsonValue
        let d = r.data
        data = DataJSON(rows: d.rows, first: d.first, last: d.last, missingTargetValues: d.missingTargetValues, windows: d.windows,
                        trainWindows: d.trainWindows, validationWindows: d.validationWindows, testWindows: d.testWindows,
                        inputFeatures: d.inputFeatures, gapsFilled: d.gapsFilled, insertedSteps: d.insertedSteps,
                        cleaning: d.notes, covariates: d.covariates)
        dieboldMariano = ModelComparison.json(ModelComparison.all(r))
        if let last = r.history.records.last {
            finalLoss = .some(last.metrics["loss"].map(JSONNumber.init))
            finalValLoss = .some(last.metrics["val_loss"].map(JSONNumber.init))
        }
        if let f = r.future {
            forecast = f.values.indices.map { i in
                ForecastPoint(time: f.times[i].map { ExperimentFiles.stamp($0, r.setup) } ?? "step \(f.rows[i])", value: JSONNumber(f.values[i]))
            }
        }
        intervals = r.intervals.map(IntervalReport.json)
        self.extra = extra
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        func put<T: Encodable>(_ key: String, _ value: T?) throws {
            guard extra[key] == nil else { return }
            if let value { try c.encode(value, forKey: AnyCodingKey(key)) } else { try c.encodeNil(forKey: AnyCodingKey(key)) }
        }
        try put("test", test)
        try put("epochs", epochs)
        try put("train_seconds", trainSeconds)
        try put("model_path", modelPath)
        try put("parameters", parameters)
        try put("unit", unit)
        try put("target", target)
        try put("model_spec", modelSpec)
        try put("lookback", lookback)
        try put("horizon", horizon)
        try put("transform", transform)
        try put("frequency", frequency)
        try put("seasonal_period", seasonalPeriod)
        try put("ensemble", ensemble)
        try put("stop_reason", stopReason)
        try put("best_baseline", bestBaseline)
        try put("verdict", verdict)
        try put("data", data)
        try put("diebold_mariano", dieboldMariano)
        if let finalLoss { try put("final_loss", finalLoss) }
        if let finalValLoss { try put("final_val_loss", finalValLoss) }
        if let forecast { try put("forecast", forecast) }
        if let intervals { try put("intervals", intervals) }
        for (k, v) in extra { try c.encode(v, forKey: AnyCodingKey(k)) }
    }
}

extension Verdict {
    /// The `verdict` object of `metrics.json`.
    public struct JSON: Encodable, Sendable {
        var modelWins: Bool
        var modelRMSE: JSONNumber
        var bestBaseline: String
        var bestBaselineRMSE: JSONNumber
        var persistenceRMSE: JSONNumber?
        var modelOverPersistence: JSONNumber?
        var text: String

        enum CodingKeys: String, CodingKey {
            case text
            case modelWins = "model_wins", modelRMSE = "model_rmse", bestBaseline = "best_baseline"
            case bestBaselineRMSE = "best_baseline_rmse", persistenceRMSE = "persistence_rmse"
            case modelOverPersistence = "model_over_persistence"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(modelWins, forKey: .modelWins)
            try c.encode(modelRMSE, forKey: .modelRMSE)
            try c.encode(bestBaseline, forKey: .bestBaseline)
            try c.encode(bestBaselineRMSE, forKey: .bestBaselineRMSE)
            try c.encode(persistenceRMSE ?? JSONNumber(Double.nan), forKey: .persistenceRMSE)
            try c.encode(modelOverPersistence ?? JSONNumber(Double.nan), forKey: .modelOverPersistence)
            try c.encode(text, forKey: .text)
        }
    }

    /// The `verdict` object of `metrics.json`.
    public var jsonValue: JSON {
        JSON(modelWins: modelWins, modelRMSE: JSONNumber(modelRMSE), bestBaseline: bestBaseline,
             bestBaselineRMSE: JSONNumber(bestBaselineRMSE), persistenceRMSE: persistenceRMSE.map(JSONNumber.init),
             modelOverPersistence: ratioToPersistence.map(JSONNumber.init), text: line)
    }
}

extension ModelComparison {
    /// One Diebold–Mariano test in `metrics.json`.
    public struct JSON: Encodable, Sendable {
        var statistic, pValue: JSONNumber
        var count: Int
        enum CodingKeys: String, CodingKey { case statistic, count, pValue = "p_value" }
    }

    /// `{baseline: {statistic, p_value, count}}` for metrics.json.
    static func json(_ comparisons: [ModelComparison]) -> [String: JSON] {
        Dictionary(comparisons.map { ($0.baseline, JSON(statistic: JSONNumber($0.test.statistic), pValue: JSONNumber($0.test.pValue), count: $0.test.count)) },
                   uniquingKeysWith: { a, _ in a })
    }
}

extension IntervalReport {
    /// `{"method", "calibration_windows", "pinball_mean", "80": {...}, "95": {...}}`.
    public struct JSON: Encodable, Sendable {
        var method: IntervalMethod
        var calibrationWindows: Int
        var pinballMean: JSONNumber
        var levels: [String: Level]

        struct Level: Encodable, Sendable {
            var coverage, meanWidth, pinball: JSONNumber
            var count: Int
            /// In units of the window's scale when adaptive.
            var radiusPerStep: [JSONNumber]
            enum CodingKeys: String, CodingKey {
                case coverage, pinball, count, meanWidth = "mean_width", radiusPerStep = "radius_per_step"
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encode(method, forKey: AnyCodingKey("method"))
            try c.encode(calibrationWindows, forKey: AnyCodingKey("calibration_windows"))
            try c.encode(pinballMean, forKey: AnyCodingKey("pinball_mean"))
            for (label, level) in levels { try c.encode(level, forKey: AnyCodingKey(label)) }
        }
    }

    static func json(_ i: ForecastIntervals) -> JSON {
        var levels: [String: JSON.Level] = [:]
        for (l, m) in i.metrics.enumerated() {
            levels[ForecastIntervals.label(m.level)] = JSON.Level(
                coverage: JSONNumber(m.coverage), meanWidth: JSONNumber(m.meanWidth), pinball: JSONNumber(m.pinball),
                count: m.count, radiusPerStep: i.conformal.radii[l].map(JSONNumber.init))
        }
        let pinball = i.metrics.map(\.pinball).reduce(0, +) / Double(max(i.metrics.count, 1))
        return JSON(method: i.method, calibrationWindows: i.calibrationWindows, pinballMean: JSONNumber(pinball), levels: levels)
    }
}
