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

    @Option(help: "The optimizer.")
    var optimizer: OptimizerChoice = .adam

    @Option(help: "Learning rate.")
    var lr: Float = 0.001

    @Option(help: "The training loss.")
    var loss: LossChoice = .mse

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

    @Option(help: ArgumentHelp("Calendar inputs as sin/cos pairs: any of hour,weekday,month.", valueName: "list"))
    var calendar: String?

    @Option(help: "What the model predicts: none (levels), difference (the change) or log-return.")
    var transform: TransformChoice = .none

    @Flag(help: "Predict all --horizon steps at once (end the spec with dense:H).")
    var direct = false

    @Option(help: "How inputs and target are scaled: minmax (to [0, 1]) or standard (z-scores).")
    var scaler: ScalerChoice = .minmax

    @Flag(help: "Fit the scaler on ALL rows as the lab does. This LEAKS the test period into training; the default fits on the training rows only.")
    var scaleOnAllData = false

    @Option(help: "Fraction of the windows for training (in time order). Default: 0.8 − --validation, so the test part stays 20 % whatever validation takes.")
    var train: Double?

    @Option(help: "Fraction of the windows for validation, after the training part; the rest is the test part.")
    var validation = 0.0

    @Option(help: "Date-based split: windows whose target is at or after this date are the test part (overrides the fractions).")
    var testFrom: String?

    @Option(help: "With --test-from: windows from this date on (and before the test start) are the validation part.")
    var validationFrom: String?

    @Option(help: "Seasonal period of the seasonal-naive baseline and MASE (default: 24 hourly, 7 daily, 5 business days).")
    var seasonality: Int?

    /// The training fraction: `--train`, else what leaves 20 % of the windows for the test part.
    var trainFraction: Double { train ?? TrainingOptions.defaultTestFraction.complement(minus: validation) }

    static let defaultTestFraction = 0.2

    func validate() throws {
        if !(0..<1).contains(validation) { throw ValidationError("--validation must be in [0, 1), got \(validation)") }
        if let t = train, !(t > 0 && t < 1) { throw ValidationError("--train must be in (0, 1), got \(t)") }
        if train == nil && trainFraction <= 0 {
            throw ValidationError("--validation \(validation) leaves no training part with the default 20 % test part; give --train as well")
        }
        if let t = train, t + validation >= 1 {
            throw ValidationError("--train \(t) + --validation \(validation) leave no test part; they must add up to less than 1")
        }
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
        s.frequency = loaded.frequency.map { "\($0)" }
        s.rowsAreSteps = loaded.rowsAreSteps ? true : nil
        s.epochs = epochs
        s.batchSize = batchSize
        s.optimizer = optimizer.rawValue
        s.learningRate = lr
        s.loss = loss.rawValue
        s.clipNorm = clipNorm
        s.validationSplit = valSplit
        s.earlyStoppingPatience = earlyStopping
        s.seed = seed
        s.transform = transform.rawValue
        s.scaler = scaler.rawValue
        s.scaleOnAllData = scaleOnAllData
        s.trainFraction = trainFraction
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
