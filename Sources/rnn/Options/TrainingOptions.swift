import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// Windows, split, scaling, model and training options, shared by `train` and `backtest`.
struct TrainingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Input steps per window (default: two seasons of the calendar, 8 … 96, at most a tenth of the rows).")
    var lookback: Int?

    @Option(parsing: .unconditional, help: "Steps ahead to forecast (recursive one-step model unless --direct).")
    var horizon = 1

    @Option(help: ArgumentHelp("Architecture, layers separated by ',' and fields by ':': lstm:H, gru:H, rnn:H (flags seq, stateful, bptt=K), bilstm:H, dropout:R, dense:N[:activation], conv1d:F:K. Example: lstm:50:seq,dropout:0.2,lstm:50,dense:1. End with dense:1 (dense:H with --direct). Leading ar (AR highway) and/or revin (per-window normalisation) wrap the rest: ar,revin,lstm:32,dense:1. Default: \(ForecastDefaults.model) with the default split, early stopping and --transform auto.", valueName: "spec"))
    var model: String?

    @Option(parsing: .unconditional, help: "Seed ensemble: train K models (seeds S, S+1, …) and average their forecasts.")
    var ensemble: Int?

    @Option(parsing: .unconditional, help: "Training epochs (default 20; \(ForecastDefaults.epochs) with the default model).")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "Mini-batch size.")
    var batchSize = 32

    @Option(help: "The optimizer.")
    var optimizer: OptimizerKind = .adam

    @Option(help: "Learning rate.")
    var lr: Float = 0.001

    @Option(help: "The training loss.")
    var loss: LossKind = .mse

    @Option(help: "Clip the global gradient norm to this value.")
    var clipNorm: Float?

    @Option(help: "Set the rate of every dropout layer of the spec to R; when the spec has none, insert dropout:R after each recurrent layer.")
    var dropout: Double?

    @Option(help: "Keras-style validation split: the last fraction of the training windows (used when --validation is 0).")
    var valSplit = 0.0

    @Option(parsing: .unconditional, help: "Stop when the validation loss has not improved for P epochs and restore the best weights (needs --validation, --val-split or --validation-from).")
    var earlyStopping: Int?

    @Option(help: "Seed for the initial weights, shuffling and dropout.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Extra input columns, comma-separated (CSV only).", valueName: "names"))
    var features: String?

    @Option(help: ArgumentHelp("Future-known covariates, comma-separated (CSV only): columns whose value at the forecast step is known then (calendar, a weather forecast). Input step t carries the value of step t+1. Needs --horizon 1.", valueName: "names"))
    var futureFeatures: String?

    @Option(help: "Missing feature values: skip (windows touching one are left out) or carry (carry the last observed value forward).")
    var featureGaps: FeatureGapPolicy = .skip

    @Flag(help: "The network learns only what a linear model misses: its output is added to the forecast of the linear ARX (AR without covariates) fitted by least squares on the training windows. One step ahead, levels.")
    var onLinearArx = false

    @Option(help: "Prediction intervals (80 % and 95 %) calibrated on the validation part: adaptive (split conformal on errors scaled by each window's recent mean absolute change), conformal (plain split conformal) or none.")
    var intervals: IntervalMethod = .adaptive

    @Option(help: ArgumentHelp("Calendar inputs as sin/cos pairs: any of hour,weekday,month.", valueName: "list"))
    var calendar: String?

    @Option(help: "What the model predicts: none (levels), difference (the change), log-return, or auto (difference when an ADF test on the training rows finds a unit root or a trend). Default: none (auto with the default model).")
    var transform: TransformKind?

    @Flag(help: "Predict all --horizon steps at once (end the spec with dense:H).")
    var direct = false

    @Option(help: "How inputs and target are scaled: minmax (to [0, 1]) or standard (z-scores).")
    var scaler: ScalerKind = .minmax

    @Flag(help: "Fit the scaler on ALL rows as the lab does. This LEAKS the test period into training; the default fits on the training rows only.")
    var scaleOnAllData = false

    @Option(help: "Fraction of the windows for training, in time order. Default: what leaves 20 % of the windows for the test part after --validation (15 % with the default model, whose validation part is \(ForecastDefaults.validationFraction)).")
    var train: Double?

    @Option(help: "Fraction of the windows for validation, after the training part; the rest is the test part (default 0; \(ForecastDefaults.validationFraction) with the default model).")
    var validation: Double?

    @Option(help: "Date-based split: windows whose target is at or after this date are the test part (overrides the fractions).")
    var testFrom: String?

    @Option(help: "With --test-from: windows from this date on (and before the test start) are the validation part.")
    var validationFrom: String?

    @Option(parsing: .unconditional, help: "Seasonal period of the seasonal-naive baseline and MASE (default: 24 hourly, 7 daily, 5 business days).")
    var seasonality: Int?

    /// The validation fraction: `--validation`, else the default model's, else none.
    func validationFraction(defaults: Bool) -> Double {
        validation ?? (defaults && valSplit == 0 && testFrom == nil ? ForecastDefaults.validationFraction : 0)
    }

    /// The training fraction: `--train`, else what leaves the default test part (20 %, or
    /// 15 % with the default model) after validation.
    func trainFraction(defaults: Bool) -> Double {
        train ?? (defaults ? 1 - ForecastDefaults.testFraction : 1 - TrainingOptions.defaultTestFraction) - validationFraction(defaults: defaults)
    }

    static let defaultTestFraction = 0.2

    func validate() throws {
        let v = validationFraction(defaults: usesDefaults)
        if !(0..<1).contains(v) { throw ValidationError("--validation must be in [0, 1), got \(v)") }
        if let t = train, !(t > 0 && t < 1) { throw ValidationError("--train must be in (0, 1), got \(t)") }
        if train == nil && trainFraction(defaults: usesDefaults) <= 0 {
            throw ValidationError("--validation \(v) leaves no training part with the default test part; give --train as well")
        }
        if let t = train, t + v >= 1 {
            throw ValidationError("--train \(t) + --validation \(v) leave no test part; they must add up to less than 1")
        }
        if let p = seasonality, p < 1 { throw ValidationError("--seasonality must be at least 1, got \(p)") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if let d = dropout, !(0..<1).contains(d) { throw ValidationError("--dropout must be in [0, 1), got \(d)") }
        if let p = earlyStopping, p < 1 { throw ValidationError("--early-stopping must be at least 1, got \(p)") }
        if let k = ensemble, !(1...50).contains(k) { throw ValidationError("--ensemble must be 1 … 50, got \(k)") }
        if let l = lookback, l < 1 { throw ValidationError("--lookback must be at least 1, got \(l)") }
        _ = try calendarInputs()
    }

    /// Checks the model spec before any data is read (the error points at the bad token).
    func checkModel() throws { _ = try TrainingOptions.applyDropout(dropout, to: resolvedModel) }

    /// True when no --model was given: the defaults of `ForecastDefaults` apply.
    var usesDefaults: Bool { model == nil }

    /// The spec to train.
    var resolvedModel: String { model ?? ForecastDefaults.model }

    /// The set-up for a target column on data with the given calendar.
    func setup(target: String, loaded: LoadedSeries, unit: String, source: SeriesSource) throws -> ExperimentSetup {
        let defaults = usesDefaults
        let period = seasonality ?? loaded.frequency?.seasonalPeriod ?? 1
        var s = ExperimentSetup(target: target, lookback: lookback ?? ForecastDefaults.lookback(period: period, rows: loaded.series.count),
                                model: try TrainingOptions.applyDropout(dropout, to: resolvedModel))
        s.unit = unit
        s.horizon = horizon
        s.direct = direct
        s.features = list(features)
        s.calendar = try calendarInputs()
        let future = list(futureFeatures)
        s.futureFeatures = future.isEmpty ? nil : future
        s.featureGaps = featureGaps == .skip ? nil : featureGaps
        s.intervals = intervals == .adaptive ? nil : intervals
        s.onLinearARX = onLinearArx ? true : nil
        s.frequency = loaded.frequency
        s.rowsAreSteps = loaded.rowsAreSteps ? true : nil
        s.epochs = epochs ?? (defaults ? ForecastDefaults.epochs : 20)
        s.ensemble = ensemble ?? (defaults && ForecastDefaults.ensemble > 1 ? ForecastDefaults.ensemble : nil)
        s.batchSize = batchSize
        s.optimizer = optimizer
        s.learningRate = lr
        s.loss = loss
        s.clipNorm = clipNorm
        s.validationSplit = valSplit
        s.seed = seed
        s.transform = transform ?? (defaults ? ForecastDefaults.transform : .none)
        s.scaler = scaler
        s.scaleOnAllData = scaleOnAllData
        s.trainFraction = trainFraction(defaults: defaults)
        s.validationFraction = validationFraction(defaults: defaults)
        s.testFrom = testFrom
        let hasValidation = s.validationFraction > 0 || valSplit > 0 || validationFrom != nil
        s.earlyStoppingPatience = earlyStopping ?? (defaults && hasValidation ? ForecastDefaults.earlyStoppingPatience : nil)
        s.validationFrom = validationFrom
        s.seasonality = seasonality
        s.source = source
        try s.validate()
        if earlyStopping != nil && s.validationFraction == 0 && valSplit == 0 && validationFrom == nil {
            throw ExperimentError.invalidSetup("--early-stopping needs validation data: give --validation, --val-split or --validation-from")
        }
        return s
    }

    /// `--calendar` as calendar inputs; an unknown name is an error listing the known ones.
    func calendarInputs() throws -> [CalendarInput] { try CalendarInput.parseOption(calendar) }

    /// The columns to read beside the target: past and future-known covariates.
    var covariateColumns: [String] { list(features) + list(futureFeatures) }

    private func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `--dropout R`: sets the rate of each `dropout:` token, or inserts `dropout:R` after each
    /// recurrent layer when the spec has no dropout.
    static func applyDropout(_ rate: Double?, to spec: String) throws -> String {
        _ = try ModelSpec.parse(spec)
        guard let rate else { return spec }
        let tokens = spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let recurrent = ["lstm", "gru", "rnn", "simplernn", "bilstm", "bigru", "birnn"]
        func head(_ t: String) -> String { String(t.split(separator: ":").first ?? "").lowercased() }
        var out: [String] = []
        if tokens.contains(where: { head($0) == "dropout" }) {
            out = tokens.map { head($0) == "dropout" ? "dropout:\(rate)" : $0 }
        } else {
            for t in tokens {
                out.append(t)
                if recurrent.contains(head(t)) { out.append("dropout:\(rate)") }
            }
        }
        let result = out.joined(separator: ",")
        _ = try ModelSpec.parse(result)
        return result
    }
}

private extension Double {
    /// 1 − self − other, rounded to 12 decimals so 1 − 0.2 − 0.15 prints as 0.65.
    func complement(minus other: Double) -> Double { ((1 - self - other) * 1e12).rounded() / 1e12 }
}
