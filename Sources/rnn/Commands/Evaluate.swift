import ArgumentParser
import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn evaluate`: re-run a saved model's test-part evaluation.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a saved forecasting model on data, with its stored set-up and scalings.",
        discussion: """
        Loads a model written by rnn train / rnn demo, reads --data cleaned as the model's data \
        was (format, column, resampling and gap filling are stored in the model; options given \
        here override them), prepares windows with the STORED scalings, and evaluates the test \
        part against the baselines. Writes the same report files as train.

        The test part is the model's stored split (its --train/--validation fractions or \
        --test-from date) re-applied to THIS data, unless --test-from DATE (windows whose \
        target is at or after DATE) or --all (every window; MASE and the linear AR baseline \
        then have no training part) is given. A warning is printed when the test part has \
        fewer than \(SavedModelRun.tinyTestPart) windows.
        """
    )

    @OptionGroup var file: ModelFileOption

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Test part: the windows whose target is at or after this date (YYYY-MM-DD[ HH:MM]), instead of the stored split.")
    var testFrom: String?

    @Flag(help: "Test part: every window of the data (e.g. data the model has never seen).")
    var all = false

    @Option(parsing: .unconditional, help: "Also forecast N steps past the end of the data.")
    var forecast = 0

    @OptionGroup var folder: ResultsFolderOption

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if all && testFrom != nil { throw ValidationError("give --test-from DATE or --all, not both") }
        if forecast < 0 { throw ValidationError("--forecast must be 0 or more steps, got \(forecast)") }
        if let t = testFrom, DateTimeParser.parse(Array(t.utf8)) == nil {
            throw ValidationError("--test-from expects a date YYYY-MM-DD[ HH:MM], got '\(t)'")
        }
    }

    func run() throws {
        let split: SavedModelRun.TestPart = all ? .all : testFrom.map { .from($0) } ?? .stored
        try SavedModelRun.run(model: file.model, data: dataOptions, steps: forecast, out: folder.out, output: output,
                              title: "Evaluation of a saved model", testPart: split)
    }
}

/// Loads a saved model and data, evaluates (and forecasts), writes the report.
enum SavedModelRun {
    /// Which windows of the new data are evaluated.
    enum TestPart {
        /// The model's stored split, re-applied to the new data.
        case stored
        /// The windows whose first target is at or after this date.
        case from(String)
        /// Every window.
        case all
    }

    /// Below this many test windows the metrics say little, and a warning is printed.
    static let tinyTestPart = 30

    static func run(model path: String, data: DataOptions, steps: Int, out: String, output: OutputOptions, title: String,
                    testPart: TestPart = .stored) throws {
        let url = URL(fileURLWithPath: path)
        let stored = try ForecastModelFile.load(from: url)
        var (loaded, _) = try data.load(stored: stored.setup.source, quiet: output.quiet)
        loaded = ExperimentOutput.renamed(loaded, to: stored.setup.target)
        var setup = stored.setup
        if let unit = data.unit { setup.unit = unit }
        switch testPart {
        case .stored: break
        case .from(let date):
            setup.testFrom = date
            setup.validationFrom = nil
        case .all:
            guard let first = loaded.series.timestamps.first else {
                throw ValidationError("--all needs dated rows; \(data.data.joined(separator: ", ")) has none")
            }
            setup.testFrom = "\(first)"
            setup.validationFrom = nil
        }
        let result = try Experiment.evaluate(model: stored.model, series: loaded.series, setup: setup,
                                             scalings: stored.scalings, forecastSteps: steps)
        if result.data.testWindows < tinyTestPart {
            let how: String
            switch testPart {
            case .stored: how = "the model's stored split re-applied to this data; give --test-from DATE or --all"
            case .from(let d): how = "from \(d); give an earlier --test-from or --all"
            case .all: how = "every window of this data"
            }
            Console.log("Warning: the test part has only \(counted(result.data.testWindows, "window")) (\(how)); its metrics say little.")
        }
        let dir = try ExperimentOutput.folder(out)
        try ExperimentOutput.finish(result, loaded: loaded, dir: dir, title: "\(title): \(setup.target)",
                                    modelPath: url.path, output: output)
    }
}
