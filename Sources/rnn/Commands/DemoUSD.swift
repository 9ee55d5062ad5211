import ArgumentParser
import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent

/// The lab's worked example: USD/PLN next-day rate from the last 60 business days.
struct DemoUSD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usd",
        abstract: "The lab's worked example: USD/PLN (NBP, 2021–2024), 60 days → next, stacked LSTM, 30-business-day forecast.",
        discussion: """
        Exactly the lab's set-up: NBP table A, 1USD, 2021-01-01 … 2024-12-31 (published rows, \
        holidays are not gaps); MinMax scaling to [0, 1] fitted on ALL rows as the lab does \
        (this leaks the test period, and is marked so in the report); windows of 60 → next \
        value; 80/20 chronological split; LSTM(50, seq) → Dropout(0.2) → LSTM(50, seq) → \
        Dropout(0.2) → LSTM(50) → Dropout(0.2) → Dense(1); Adam (lr 0.001), MSE, 20 epochs, \
        batch 32; test RMSE in PLN next to persistence ("tomorrow = today") and the other \
        baselines; then a 30-business-day forecast from the last 60 days.

        A second variant runs in the same report: the same network predicting the daily \
        CHANGE (--transform difference, scaler fitted on the training rows only), the usual \
        remedy when a model of levels loses to persistence. Writes report.html, metrics.json, \
        predictions.csv, forecast.csv and the charts to --out, the variant's files to \
        --out/difference.
        """
    )

    @Option(help: ArgumentHelp("NBP archive folder (default: ../shared/data/nbp from here, else beside the package).", valueName: "path"))
    var data: String?

    @Option(help: "Output folder.")
    var out = "rnn-output/usd"

    @Option(help: "Training epochs (the lab: 20).")
    var epochs = 20

    @Option(help: "Business days to forecast.")
    var steps = 30

    @Option(help: "Seed for the initial weights, shuffling and dropout.")
    var seed: UInt64 = 42

    @Flag(help: "Skip the differenced variant.")
    var labOnly = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let folder = try data ?? SharedDataPath.find("nbp")
        var source = SeriesSource(format: .nbp, column: "USD")
        source.from = "2021-01-01"
        source.to = "2024-12-31"
        let loaded = try source.load([folder])
        for n in loaded.notes { Console.log(n, quiet: output.quiet) }

        var lab = ExperimentSetup(target: "USD", lookback: 60,
                                  model: "lstm:50:seq,dropout:0.2,lstm:50:seq,dropout:0.2,lstm:50,dropout:0.2,dense:1")
        lab.unit = "PLN"
        lab.frequency = .businessDay
        lab.rowsAreSteps = true
        lab.trainFraction = 0.8
        lab.scaleOnAllData = true
        lab.epochs = epochs
        lab.batchSize = 32
        lab.seed = seed
        lab.source = source

        var remedy = lab
        remedy.transform = .difference
        remedy.scaleOnAllData = false

        let dir = try ExperimentOutput.folder(out)
        Console.log("Lab model: \(lab.model), \(lab.epochs) epochs on \(loaded.series.count) business days", quiet: output.quiet)
        let labResult = try Experiment.run(series: loaded.series, setup: lab, forecastSteps: steps, progress: output.progressStyle,
                                           checkpoint: dir.appendingPathComponent("model.safetensors"))
        var sections: [HTMLReport.Section] = []
        var extra: [String: Any] = [:]
        var remedyResult: ExperimentResult?
        if !labOnly {
            Console.log("Variant: the same network predicting the daily change (--transform difference)", quiet: output.quiet)
            let sub = try ExperimentOutput.folder(dir.appendingPathComponent("difference").path)
            let r = try Experiment.run(series: loaded.series, setup: remedy, forecastSteps: steps, progress: output.progressStyle,
                                       checkpoint: sub.appendingPathComponent("model.safetensors"))
            if !output.json { Console.out("== Variant: the same network predicting the daily change (--transform difference) ==") }
            try ExperimentOutput.finish(r, loaded: loaded, dir: sub, title: "USD/PLN: the lab's network predicting the daily change",
                                        modelPath: sub.appendingPathComponent("model.safetensors").path, output: output, printJSON: false)
            sections.append(ExperimentComparison.section(heading: "Remedy: predict the change, not the level",
                                                   intro: [.text("The same network and training, but the target is the day-to-day change (the forecast adds it to the last known rate) and the scaler is fitted on the training rows only. Full report: "),
                                                           .link("difference/report.html", href: "difference/report.html"), .text(".")],
                                                   variants: [("lab (levels)", labResult), ("difference", r)],
                                                   chartOf: "difference"))
            extra["difference_variant"] = ExperimentComparison.json(r)
            remedyResult = r
        }
        if !output.json { Console.out("== The lab's model (levels, scaler fitted on all rows) ==") }
        try ExperimentOutput.finish(labResult, loaded: loaded, dir: dir, title: "Lab 6 worked example: USD/PLN with a stacked LSTM",
                                    modelPath: dir.appendingPathComponent("model.safetensors").path, output: output,
                                    notes: ["This is the lab's set-up, including its MinMax scaler fitted on all rows (it leaks the test period's range into training)."],
                                    extraJSON: extra, extraSections: sections)
        if let r = remedyResult, !output.json {
            Console.out("Variant --transform difference (\(dir.path)/difference): " + (r.verdict?.line ?? ""))
        }
    }
}

/// Finds `../shared/data/<name>`: from the current folder, then beside the package.
enum SharedDataPath {
    static func find(_ name: String) throws -> String {
        let fm = FileManager.default
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [cwd.appendingPathComponent("../shared/data/\(name)"), cwd.appendingPathComponent("shared/data/\(name)"),
                          package.appendingPathComponent("../shared/data/\(name)")].map { $0.standardized.path }
        guard let found = candidates.first(where: { fm.fileExists(atPath: $0) }) else {
            throw ValidationError("no data folder found at \(candidates.joined(separator: " or ")); give --data PATH")
        }
        return found
    }
}
