import ArgumentParser
import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent

/// The lab's Exercise 1: an LSTM that predicts a noisy sinusoid.
struct DemoSine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sine",
        abstract: "Exercise 1: LSTM(8) → Dense(1) on sin(t) + U(0,1)·0.4, 20 steps → next, against persistence.",
        discussion: """
        Generates sin(0…499) + U(0,1)·0.4 (seeded), scales it to [0, 1] with MinMax fitted on \
        the training part, cuts windows of 20 → the next value, splits them 80/20 in time order, \
        trains LSTM(8) → Dense(1) with Adam and MSE (100 epochs, batch 32), and reports the test \
        RMSE next to persistence (predict the last value) and the other baselines. Writes \
        model.safetensors, predictions.csv, metrics.json, history.csv, SVG charts and \
        report.html to --out.
        """
    )

    @Option(help: "Output folder.")
    var out = "rnn-output/sine"

    @Option(help: "Training epochs.")
    var epochs = 100

    @Option(help: "Seed for the data, the initial weights, shuffling and dropout.")
    var seed: UInt64 = 42

    @OptionGroup var output: OutputOptions

    func run() throws {
        let series = Demos.noisySine(seed: seed)
        let setup = Demos.sineSetup(epochs: epochs, seed: seed)
        try runForecastDemo(series: series, setup: setup, out: out, title: "Lab 6, Exercise 1: noisy sinusoid",
                            output: output, forecastSteps: 0)
    }
}

/// Trains, evaluates, saves and reports one forecasting set-up; prints the summary.
func runForecastDemo(series: TimeSeries, setup: ExperimentSetup, out: String, title: String,
                     output: OutputOptions, forecastSteps: Int, notes: [String] = []) throws {
    let dir = try OutputFolder.make(out)
    let modelURL = dir.appendingPathComponent("model.safetensors")
    Console.log("\(title): \(series.count) rows, model \(setup.model), \(setup.epochs) epochs", quiet: output.quiet)
    let result = try Experiment.run(series: series, setup: setup, forecastSteps: forecastSteps,
                                    progress: output.progressStyle, checkpoint: modelURL)
    let object = try ExperimentReport.write(result, series: series, to: dir, title: title, command: Console.commandLine,
                                           modelPath: modelURL.path, notes: notes)
    if output.json {
        Console.json(object)
    } else {
        printSummary(result, dir: dir)
    }
}

/// The text summary of an experiment: metrics of the model and every baseline; the last
/// line is the verdict (the model against the best baseline and persistence).
func printSummary(_ r: ExperimentResult, dir: URL) {
    let unit = r.setup.unit.isEmpty ? "" : " \(r.setup.unit)"
    Console.out("Test part (\(r.data.testWindows) windows), original units\(unit.isEmpty ? "" : " (\(unit.trimmingCharacters(in: .whitespaces)))"):")
    Console.out("  method            RMSE        MAE")
    for m in r.methods {
        Console.out("  " + m.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%10.4f %10.4f", m.metrics.rmse, m.metrics.mae))
    }
    if let f = r.future {
        Console.out("Forecast (\(f.values.count) steps): " + f.values.prefix(5).map { String(format: "%.4f", $0) }.joined(separator: ", ") + (f.values.count > 5 ? ", …" : ""))
    }
    if let f = r.future, f.times.first??.description != nil {
        let dates = zip(f.times, f.values).prefix(5).map { "\($0.0.map { r.timeText($0) } ?? "?") \(String(format: "%.4f", $0.1))" }
        Console.out("Forecast dates: " + dates.joined(separator: "; ") + (f.values.count > 5 ? "; … (forecast.csv)" : ""))
    }
    if r.history.epochsRun > 0 {
        Console.out("Trained \(r.history.epochsRun) epochs in \(String(format: "%.1f", r.trainSeconds)) s; wrote \(dir.path)/{model.safetensors, metrics.json, predictions.csv, report.html, *.svg}")
    } else {
        Console.out("Evaluated the saved model; wrote \(dir.path)/{metrics.json, predictions.csv, report.html, *.svg}")
    }
    if let v = r.verdict { Console.out(v.line) }
}
