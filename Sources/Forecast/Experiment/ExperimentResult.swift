import Recurrent

/// One method's forecasts on the test part, in original units.
public struct MethodForecast: Sendable {
    /// `model`, `persistence`, `seasonal_naive`, `moving_average`, `linear_ar`.
    public var name: String
    /// `[window][step]` predicted levels.
    public var paths: [[Double]]
    public var metrics: ForecastMetrics
}

/// A future forecast beyond the end of the data.
public struct FutureForecast: Sendable {
    /// Time of each step (nil for plain-step series).
    public var times: [LocalDateTime?]
    /// Step index of each forecast value in the series' row numbering.
    public var rows: [Int]
    public var values: [Double]
}

/// Everything an experiment produced: the model, its training history, test-part forecasts
/// of the model and every baseline, metrics in original units, and the future forecast.
public struct ExperimentResult: Sendable {
    public var setup: ExperimentSetup
    public var model: Sequential
    public var history: History
    public var trainSeconds: Double
    /// Test windows' target rows `[window][step]` and times.
    public var testRows: [[Int]]
    public var testTimes: [[LocalDateTime]]
    /// Actual levels `[window][step]`.
    public var actual: [[Double]]
    /// The model first, then the baselines.
    public var methods: [MethodForecast]
    public var future: FutureForecast?
    public var data: DataSummary
    /// Scalings to store with the model.
    public var scalings: [AffineScaling]
    /// The model's prediction intervals (nil without a validation part to calibrate on).
    public var intervals: ForecastIntervals? = nil

    public func method(_ name: String) -> MethodForecast? { methods.first { $0.name == name } }
    /// The baseline with the lowest test RMSE.
    public var bestBaseline: MethodForecast? { methods.filter { $0.name != "model" }.min { $0.metrics.rmse < $1.metrics.rmse } }
}

/// What the data looked like, for reports.
public struct DataSummary: Sendable, Codable {
    public var rows: Int
    public var first: String
    public var last: String
    public var missingTargetValues: Int
    public var windows: Int
    public var trainWindows: Int
    public var validationWindows: Int
    public var testWindows: Int
    public var inputFeatures: [String]
    /// Values filled by interpolation while cleaning (see `SeriesSource.fillGaps`).
    public var gapsFilled: Int = 0
    /// Absent steps inserted as missing while regularizing.
    public var insertedSteps: Int = 0
    /// What cleaning did, one sentence each.
    public var notes: [String] = []
    /// What preparing the covariates did (missing values, windows left out), one sentence each.
    public var covariates: [String] = []

    /// Records what loading and cleaning did.
    public mutating func record(_ loaded: LoadedSeries) {
        gapsFilled = loaded.gapsFilled
        insertedSteps = loaded.insertedSteps
        notes = loaded.notes
    }
}

extension ExperimentResult {
    /// A time as the output files write it (hourly series always carry the time of day).
    public func timeText(_ t: LocalDateTime) -> String { ExperimentFiles.stamp(t, setup) }
}
