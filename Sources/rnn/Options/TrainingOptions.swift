import ArgumentParser
import Foundation
import Forecast
import Recurrent

/// Windows, split, scaling, model and training options, shared by `train` and `backtest`.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Input steps per window.")
    var lookback: Int

    @Option(help: "Steps ahead to forecast (recursive one-step model unless --direct).")
    var horizon = 1

    @Option(help: ArgumentHelp("Architecture, layers separated by ',' and fields by ':': lstm:H, gru:H, rnn:H (flags seq, stateful, bptt=K), bilstm:H, dropout:R, dense:N[:activation], conv1d:F:K. Example: lstm:50:seq,dropout:0.2,lstm:50,dense:1. End with dense:1 (dense:H with --direct).", valueName: "spec"))
    var model: String

    @Option(help: "Training epochs.")
    var epochs = 20

    @Option(help: "Mini-batch size.")
    var batchSize = 32

    @Option(help: "adam, adamw, sgd or rmsprop.")
    var optimizer = "adam"

    @Option(help: "Learning rate.")
    var lr: Float = 0.001

    @Option(help: "mse, mae or huber.")
    var loss = "mse"

    @Option(help: "Clip the global gradient norm to this value.")
    var clipNorm: Float?

    @Option(help: "Set the rate of every dropout layer of the spec to R; when the spec has none, insert dropout:R after each recurrent layer.")
    var dropout: Double?

    @Option(help: "Keras-style validation split: the last fraction of the training windows (used when --validation is 0).")
    var valSplit = 0.0

    @Option(help: "Stop when the validation loss has not improved for P epochs and restore the best weights (needs --validation, --val-split or --validation-from).")
    var earlyStopping: Int?

    @Option(help: "Seed for the initial weights, shuffling and dropout.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Extra input columns, comma-separated (CSV only).", valueName: "names"))
    var features: String?

    @Option(help: ArgumentHelp("Future-known covariates, comma-separated (CSV only): columns whose value at the forecast step is known then (calendar, a weather forecast). Input step t carries the value of step t+1. Needs --horizon 1.", valueName: "names"))
    var futureFeatures: String?

    @Option(help: "Missing feature values: skip (windows touching one are left out) or carry (carry the last observed value forward).")
    var featureGaps = "skip"

    @Flag(help: "The network learns only what a linear model misses: its output is added to the forecast of the linear ARX (AR without covariates) fitted by least squares on the training windows. One step ahead, levels.")
    var onLinearArx = false

    @Option(help: "Prediction intervals (80 % and 95 %) calibrated on the validation part: adaptive (split conformal on errors scaled by each window's recent mean absolute change), conformal (plain split conformal) or none.")
    var intervals = "adaptive"

    @Option(help: ArgumentHelp("Calendar inputs as sin/cos pairs: any of hour,weekday,month.", valueName: "list"))
    var calendar: String?

    @Option(help: "What the model predicts: none (levels), difference (the change) or log-return.")
    var transform = "none"

    @Flag(help: "Predict all --horizon steps at once (end the spec with dense:H).")
    var direct = false

    @Option(help: "minmax or standard.")
    var scaler = "minmax"

    @Flag(help: "Fit the scaler on ALL rows as the lab does. This LEAKS the test period into training; the default fits on the training rows only.")
    var scaleOnAllData = false

    @Option(help: "Fraction of the windows for training (in time order).")
    var train = 0.8

    @Option(help: "Fraction of the windows for validation, after the training part; the rest is the test part.")
    var validation = 0.0

    @Option(help: "Date-based split: windows whose target is at or after this date are the test part (overrides the fractions).")
    var testFrom: String?

    @Option(help: "With --test-from: windows from this date on (and before the test start) are the validation part.")
    var validationFrom: String?

    @Option(help: "Seasonal period of the seasonal-naive baseline and MASE (default: 24 hourly, 7 daily, 5 business days).")
    var seasonality: Int?

    func validate() throws {
        if let d = dropout, !(0..<1).contains(d) { throw ValidationError("--dropout must be in [0, 1), got \(d)") }
        if let p = earlyStopping, p < 1 { throw ValidationError("--early-stopping must be at least 1, got \(p)") }
    }

    /// Checks the model spec before any data is read (the error points at the bad token).
    func checkModel() throws { _ = try TrainingOptions.applyDropout(dropout, to: model) }

    /// The set-up for a target column on data with the given calendar.
    func setup(target: String, loaded: LoadedSeries, unit: String, source: SeriesSource) throws -> ExperimentSetup {
        var s = ExperimentSetup(target: target, lookback: lookback, model: try TrainingOptions.applyDropout(dropout, to: model))
        s.unit = unit
        s.horizon = horizon
        s.direct = direct
        s.features = list(features)
        s.calendar = list(calendar)
        let future = list(futureFeatures)
        s.futureFeatures = future.isEmpty ? nil : future
        s.featureGaps = featureGaps == "skip" ? nil : featureGaps
        s.intervals = intervals == "adaptive" ? nil : intervals
        s.onLinearARX = onLinearArx ? true : nil
        s.frequency = loaded.frequency.map { "\($0)" }
        s.rowsAreSteps = loaded.rowsAreSteps ? true : nil
        s.epochs = epochs
        s.batchSize = batchSize
        s.optimizer = optimizer
        s.learningRate = lr
        s.loss = loss
        s.clipNorm = clipNorm
        s.validationSplit = valSplit
        s.earlyStoppingPatience = earlyStopping
        s.seed = seed
        s.transform = transform
        s.scaler = scaler
        s.scaleOnAllData = scaleOnAllData
        s.trainFraction = train
        s.validationFraction = validation
        s.testFrom = testFrom
        s.validationFrom = validationFrom
        s.seasonality = seasonality
        s.source = source
        try s.validate()
        if earlyStopping != nil && validation == 0 && valSplit == 0 && validationFrom == nil {
            throw ExperimentError.invalidSetup("--early-stopping needs validation data: give --validation, --val-split or --validation-from")
        }
        return s
    }

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
