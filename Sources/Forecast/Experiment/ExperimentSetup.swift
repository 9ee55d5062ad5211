import Recurrent

/// Everything a forecasting experiment needs to be repeated: data preparation, model and
/// training. Stored (as JSON) inside the model file, so `evaluate` and `forecast` prepare
/// new data exactly as training did.
public struct ExperimentSetup: Codable, Equatable, Sendable {
    /// The column to forecast.
    public var target: String
    /// Unit of the target, for reports (e.g. "PLN", "µg/m³").
    public var unit: String = ""
    /// Extra input columns (past covariates): their values over the lookback are inputs.
    public var features: [String] = []
    /// Future-known covariates: columns whose value at the step being forecast is known
    /// when forecasting (a calendar, a weather forecast). Input step t carries the value of
    /// step t + 1, so the last input step holds the target step's value. nil: none.
    public var futureFeatures: [String]?
    /// The network corrects a linear model: its output is added to the forecast of the linear
    /// ARX (or AR without covariates) fitted by least squares on the training windows, so it
    /// learns only what the linear model misses (a frozen autoregressive highway). One step
    /// ahead, levels only. nil: false.
    public var onLinearARX: Bool?
    /// Prediction intervals from the validation part; nil means `adaptive`.
    public var intervals: IntervalMethod?
    /// Missing covariate values; nil means `skip`.
    public var featureGaps: FeatureGapPolicy?
    /// Calendar inputs as sin/cos pairs.
    public var calendar: [CalendarInput] = []
    /// The series' calendar; nil for plain steps (stored as its name; `steps` reads as nil).
    public var frequency: Frequency?
    public var lookback: Int
    /// Steps ahead. With `direct`, the model outputs all of them at once (Dense(H) head);
    /// otherwise the model predicts one step and longer horizons are recursive.
    public var horizon: Int = 1
    public var direct: Bool = false
    /// Fractions of the windows, in time order (the test part is what is left).
    public var trainFraction: Double = 0.8
    public var validationFraction: Double = 0
    public var scaler: ScalerKind = .minmax
    /// Fit the scaler on all rows as the lab does. This leaks the test period into the
    /// scaling; the default fits on the training rows only.
    public var scaleOnAllData: Bool = false
    /// What the model predicts instead of levels; `auto`: difference when a unit-root (ADF)
    /// test on the training rows says so (`resolvingAutomaticTransform`, done by
    /// `Experiment.run`; unresolved it means none).
    public var transform: TransformKind = .none
    /// Architecture, in the `ModelSpec` grammar.
    public var model: String
    public var epochs: Int = 20
    public var batchSize: Int = 32
    public var optimizer: OptimizerKind = .adam
    public var learningRate: Float = 0.001
    public var loss: LossKind = .mse
    public var clipNorm: Float?
    public var l2: Float = 0
    /// Early stopping on the validation loss (restoring the best weights), when set.
    public var earlyStoppingPatience: Int?
    /// Keras-style validation split of the training windows, when there is no validation part.
    public var validationSplit: Double = 0
    public var seed: UInt64 = 42
    /// Seasonal period for the seasonal-naive baseline and MASE (default from frequency).
    public var seasonality: Int?
    /// Window of the moving-average baseline.
    public var movingAverageWindow: Int = 7
    /// Treat consecutive rows as consecutive steps even where the calendar skips a step
    /// (NBP business days: holidays are not published, and are not gaps). nil: false.
    public var rowsAreSteps: Bool?
    /// Date-based split: windows whose first target is at or after `testFrom` are the test
    /// part, those from `validationFrom` the validation part (overrides the fractions).
    public var testFrom: String?
    public var validationFrom: String?
    /// Seed ensemble: train this many members (seeds `seed`, `seed+1`, …) and average them.
    /// nil: one model.
    public var ensemble: Int?
    /// How the data was read and cleaned (set by the CLI), so `evaluate` and `forecast`
    /// read new data the same way.
    public var source: SeriesSource?

    public init(target: String, lookback: Int, model: String) {
        self.target = target
        self.lookback = lookback
        self.model = model
    }

    /// The model's input columns after the target: past covariates, then the shifted
    /// future-known covariates.
    var modelFeatures: [String] { features + (futureFeatures ?? []).map(Covariates.futureColumn) }

    /// The most epochs a set-up may ask for (a typo such as 2⁶³ would otherwise run forever).
    public static let maxEpochs = 100_000

    /// The frequency windows must follow (nil when rows are steps).
    var windowFrequency: Frequency? { rowsAreSteps == true ? nil : frequency }

    var testFromDate: LocalDateTime? { testFrom.flatMap { DateTimeParser.parse(Array($0.utf8)) } }
    var validationFromDate: LocalDateTime? { validationFrom.flatMap { DateTimeParser.parse(Array($0.utf8)) } }

    var targetTransform: TargetTransform { transform.targetTransform }

    /// The calendar inputs as the option set windows take.
    public var calendarFeatures: CalendarFeatures { CalendarFeatures(calendar.map(\.feature)) }

    /// The seasonal period used by baselines and MASE.
    public var seasonalPeriod: Int { seasonality ?? frequency?.seasonalPeriod ?? 1 }

    /// Checks every setting before any data is read, naming the bad one.
    public func validate() throws {
        func bad(_ s: String) -> ExperimentError { .invalidSetup(s) }
        guard lookback >= 1 else { throw bad("lookback must be at least 1, got \(lookback)") }
        guard horizon >= 1 else { throw bad("horizon must be at least 1, got \(horizon)") }
        for (name, text) in [("test start", testFrom), ("validation start", validationFrom)] {
            if let text, DateTimeParser.parse(Array(text.utf8)) == nil { throw bad("\(name) must be a date such as 2024-01-01, got '\(text)'") }
        }
        if validationFrom != nil && testFrom == nil { throw bad("a validation start date needs a test start date") }
        if let v = validationFromDate, let t = testFromDate, v > t { throw bad("validation start \(v) is after test start \(t)") }
        guard trainFraction > 0, validationFraction >= 0, trainFraction + validationFraction < 1 else {
            throw bad("train (\(trainFraction)) and validation (\(validationFraction)) fractions must leave a test part")
        }
        if let k = ensemble, !(1...50).contains(k) { throw bad("ensemble size must be 1 … 50, got \(k)") }
        guard learningRate > 0, learningRate.isFinite else { throw bad("learning rate must be positive, got \(learningRate)") }
        guard epochs >= 1, batchSize >= 1 else { throw bad("epochs and batch size must be at least 1") }
        guard epochs <= Self.maxEpochs else { throw bad("epochs \(epochs) is above the limit of \(Self.maxEpochs)") }
        let steps = LayerLimits.maxSequenceLength
        guard (1...steps).contains(lookback), (1...steps).contains(horizon) else {
            throw bad("lookback and horizon must be between 1 and \(steps) steps, got \(lookback) and \(horizon)")
        }
        try Covariates.validate(self)
        if onLinearARX == true && (horizon != 1 || targetTransform != .none) {
            throw ExperimentError.setting(.linearARXNeedsOneStepLevels)
        }
        guard movingAverageWindow >= 1 else { throw bad("moving-average window must be at least 1") }
        _ = try ModelSpec.parse(model)
    }
}

/// Why an experiment could not run.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
    case invalidSetup(String)
    case notEnoughData(String)
    case incompatibleModel(String)
    /// A setting that cannot work as given (told in library terms; the CLI names flags).
    case setting(SettingProblem)

    public var description: String {
        switch self {
        case .invalidSetup(let s): return "invalid setup: \(s)"
        case .notEnoughData(let s): return "not enough data: \(s)"
        case .incompatibleModel(let s): return "incompatible model: \(s)"
        case .setting(let p): return p.description
        }
    }
}
