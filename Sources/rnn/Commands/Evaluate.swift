import ArgumentParser
import Foundation
import Forecast
import Recurrent

/// `rnn evaluate`: re-run a saved model's test-part evaluation.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a saved forecasting model on data, with its stored set-up and scalings.",
        discussion: """
        Loads a model written by rnn train / rnn demo, reads --data cleaned as the model's data \
        was (format, column, resampling and gap filling are stored in the model; options given \
        here override them), prepares windows with the STORED scalings, and evaluates the test \
        part (the stored split) against the baselines. Writes the same report files as train.
        """
    )

    @Option(help: "Model file (.safetensors) written by rnn train or rnn demo.")
    var model: String

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Also forecast N steps past the end of the data.")
    var forecast = 0

    @Option(help: "Output folder.")
    var out: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try SavedModelRun.run(model: model, data: dataOptions, steps: forecast, out: out, output: output,
                              title: "Evaluation of a saved model")
    }
}

/// Loads a saved model and data, evaluates (and forecasts), writes the report.
enum SavedModelRun {
    static func run(model path: String, data: DataOptions, steps: Int, out: String, output: OutputOptions, title: String) throws {
        let url = URL(fileURLWithPath: path)
        let stored = try ForecastModelFile.load(from: url)
        var (loaded, _) = try data.load(stored: stored.setup.source, quiet: output.quiet)
        loaded = ExperimentOutput.renamed(loaded, to: stored.setup.target)
        var setup = stored.setup
        if let unit = data.unit { setup.unit = unit }
        let result = try Experiment.evaluate(model: stored.model, series: loaded.series, setup: setup,
                                             scalings: stored.scalings, forecastSteps: steps)
        let dir = try ExperimentOutput.folder(out)
        try ExperimentOutput.finish(result, loaded: loaded, dir: dir, title: "\(title): \(setup.target)",
                                    modelPath: url.path, output: output)
    }
}
