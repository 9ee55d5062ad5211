import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn backtest`: rolling-origin evaluation.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin evaluation: train and test fold after fold as the forecast origin moves forward.",
        discussion: """
        Like Darts' historical_forecasts: the first --start fraction of the windows is only \
        training; the rest is cut into --folds folds (or folds of --fold-size windows, i.e. a \
        refit every k steps). Before each fold a new model is trained on the windows before it \
        (--window expanding: all of them; sliding: the last --train-windows), or, with \
        --no-refit, one model trained before the first fold forecasts all of them. Every fold \
        reports the model and the baselines; the summary pools all folds. Writes metrics.json, \
        folds.csv, predictions.csv, errors.svg (RMSE per fold over time), predictions.svg and \
        report.html to --out. Keep --epochs small: every refit trains a model.
        """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Fraction of the windows before the first forecast origin.")
    var start = 0.6

    @Option(help: "Number of folds.")
    var folds = 5

    @Option(help: "Windows per fold (refit every k steps); overrides --folds.")
    var foldSize: Int?

    @Option(help: "expanding (all earlier windows) or sliding (the last --train-windows).")
    var window = "expanding"

    @Option(help: "Training windows of a sliding window (default: as many as the first fold has).")
    var trainWindows: Int?

    @Flag(inversion: .prefixedNo, help: "Train a new model before every fold (--no-refit: train once, before the first).")
    var refit = true

    @OptionGroup var folder: ResultsFolderOption

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let w = BacktestOptions.Window(rawValue: window) else {
            throw ValidationError("--window must be expanding or sliding, got '\(window)'")
        }
        var options = BacktestOptions()
        options.start = start
        options.folds = folds
        options.foldSize = foldSize
        options.window = w
        options.trainWindows = trainWindows
        options.refit = refit
        try training.checkModel()
        let (loaded, source) = try dataOptions.load(extraColumns: training.covariateColumns, quiet: output.quiet)
        let setup = try training.setup(target: loaded.column, loaded: loaded, unit: dataOptions.resolvedUnit(loaded), source: source)
        let quiet = output.quiet
        let result = try Backtest.run(series: loaded.series, setup: setup, options: options,
                                      progress: .none, log: { Console.log($0, quiet: quiet) })
        let dir = try ExperimentOutput.folder(folder.out)
        let object = try BacktestReport.write(result, series: loaded.series, to: dir, title: "Backtest of \(setup.target)",
                                              command: Console.commandLine, notes: loaded.notes)
        if output.json { Console.json(object); return }
        Console.out("Backtest: \(result.folds.count) folds, \(w.rawValue) window, \(refit ? "refit every fold" : "no refit") (\(String(format: "%.1f", result.seconds)) s)")
        Console.out("  method            RMSE        MAE   mean fold RMSE   folds < persistence")
        for s in result.summary {
            Console.out("  " + s.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                        + String(format: "%10.4f %10.4f %16.4f", s.pooled.rmse, s.pooled.mae, s.meanFoldRMSE)
                        + (s.name == "persistence" ? "" : "   \(s.foldsBeatingPersistence)/\(result.folds.count)"))
        }
        Console.out("wrote \(dir.path)/{metrics.json, folds.csv, predictions.csv, errors.svg, predictions.svg, report.html}")
        if let v = result.verdict { Console.out("Pooled over the folds. " + v.line) }
    }
}
