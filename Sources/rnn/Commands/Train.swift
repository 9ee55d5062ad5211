import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn train`: fit a forecasting model on a series and report it against baselines.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a forecasting model on a time series and compare it with baselines on the test part.",
        discussion: """
        Reads --data (CSV, NBP archives, GIOŚ workbooks), cleans it (--from/--to, --resample \
        daily, --fill-gaps N), cuts windows of --lookback steps → the next --horizon steps, \
        splits them in time order (--train/--validation fractions or --test-from DATE), \
        scales with a scaler fitted on the training rows, trains --model, and evaluates the \
        model and the baselines (persistence, seasonal naive, moving average, linear AR) on \
        the test part in the original units.

        --model grammar: layers separated by ',', fields by ':'.
          lstm:H | gru:H | rnn:H[:relu]   flags: seq (return sequences), stateful,
                                          bptt=K
          bilstm:H | bigru:H | birnn:H    same flags, plus sum (merge by sum)
          dropout:R                       0 ≤ R < 1
          dense:N[:linear|tanh|sigmoid|relu|softmax]
          conv1d:FILTERS:KERNEL[:d=DILATION][:activation]  (causal)
        Example (the lab's):
          lstm:50:seq,dropout:0.2,lstm:50:seq,dropout:0.2,lstm:50,dropout:0.2,dense:1

        A wrong spec is reported with the position of the bad token. --dropout R sets every \
        dropout layer's rate (or inserts dropout:R after each recurrent layer if there is none).

        Writes to --out: model.safetensors (with the set-up and scalings, for rnn evaluate / \
        forecast), metrics.json, predictions.csv, history.csv, forecast.csv (with --forecast), \
        history.svg, test.svg, loss.svg, forecast.svg and report.html.
        """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var training: TrainingOptions

    @Option(parsing: .unconditional, help: "Also forecast N steps past the end of the data (dates follow the series' calendar).")
    var forecast = 0

    @OptionGroup var folder: ResultsFolderOption

    func validate() throws {
        guard forecast >= 0 else { throw ValidationError("--forecast must be 0 or more steps, got \(forecast)") }
    }

    @Option(help: ArgumentHelp("Train ONE model on several series (a global model): CSV columns or NBP currency codes, comma-separated. Each series gets its own scaler, baselines and report under --out/NAME/.", valueName: "names"))
    var columns: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try training.checkModel()
        if let columns { return try runGlobal(columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
        let (loaded, source) = try dataOptions.load(extraColumns: training.covariateColumns, quiet: output.quiet)
        let setup = try training.setup(target: loaded.column, loaded: loaded, unit: dataOptions.resolvedUnit(loaded), source: source)
        if forecast > 0 && (setup.onLinearARX == true || !(setup.futureFeatures ?? []).isEmpty) {
            throw ValidationError("--forecast needs inputs past the end of the data: not available with --on-linear-arx or --future-features")
        }
        let dir = try ExperimentOutput.folder(folder.out)
        let modelURL = dir.appendingPathComponent("model.safetensors")
        if training.usesDefaults {
            Console.log("No --model: the defaults, \(ForecastDefaults.summary); lookback \(setup.lookback) (--model, --lookback, --transform, --train/--validation override them).", quiet: output.quiet)
        }
        Console.log("Training \(setup.model)\(setup.ensemble.map { " ×\($0) seeds" } ?? "") on \(loaded.series.count) rows of \(setup.target), \(setup.frequency.map { "\($0)" } ?? "plain steps") (seasonal period \(setup.seasonalPeriod)), up to \(setup.epochs) epochs", quiet: output.quiet)
        let result = try Experiment.run(series: loaded.series, setup: setup, forecastSteps: forecast,
                                        progress: output.progressStyle, checkpoint: modelURL)
        try ExperimentOutput.finish(result, loaded: loaded, dir: dir, title: "Forecast of \(setup.target)",
                                    modelPath: modelURL.path, output: output)
    }
}
