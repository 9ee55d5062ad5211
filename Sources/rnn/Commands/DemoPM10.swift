import ArgumentParser
import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent

/// Exercise 2: PM10 at Kraków, ul. Złoty Róg, daily and hourly.
struct DemoPM10: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pm10",
        abstract: "Exercise 2: PM10 at Kraków, ul. Złoty Róg (GIOŚ, 2020–2024): daily and hourly LSTM against persistence.",
        discussion: """
        Daily: hourly values → daily means (a day needs 18 of 24 hours), gaps of up to 3 days \
        interpolated; windows of 14 days → next day; 70/15/15 chronological split; scaler \
        fitted on the training rows; LSTM(32) → Dense(1), Adam, MSE, batch 32, early stopping \
        on the validation loss (patience 10, best weights restored), weekday calendar inputs. \
        Hourly: gaps of up to 3 hours interpolated; windows of 24 hours → next hour; the same \
        split and network, hour-of-day calendar inputs. Each variant writes its report to
        --out/daily and --out/hourly; --out/report.html compares them.
        """
    )

    @Option(help: ArgumentHelp("The hourly PM10 CSV (default: ../shared/data/pm10/krakow-zloty-rog-pm10-1h.csv).", valueName: "path"))
    var data: String?

    @Option(help: "Output folder.")
    var out = "rnn-output/pm10"

    @Option(help: "daily, hourly or both.")
    var only: PM10Variants = .both

    @Option(help: "Maximum epochs of the daily model (early stopping usually ends sooner).")
    var epochs = 100

    @Option(help: "Maximum epochs of the hourly model.")
    var hourlyEpochs = 15

    @Option(help: ArgumentHelp("Calendar inputs of the daily model (empty: none).", valueName: "list"))
    var calendar = "weekday"

    @Option(help: "Target transform of both models: none or difference.")
    var transform: TransformKind = .none

    @Option(help: "Seed for the initial weights, shuffling and dropout.")
    var seed: UInt64 = 42

    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try calendarInputs()
    }

    /// `--calendar` as calendar inputs (empty: none).
    func calendarInputs() throws -> [CalendarInput] { try CalendarInput.parseOption(calendar) }

    func run() throws {
        let path = try data ?? (SharedDataPath.find("pm10") + "/krakow-zloty-rog-pm10-1h.csv")
        let dir = try ExperimentOutput.folder(out)
        var variants: [(name: String, result: ExperimentResult)] = []
        var json: [String: Any] = [:]
        for variant in ["daily", "hourly"] where only == .both || only.rawValue == variant {
            let daily = variant == "daily"
            var source = SeriesSource(format: .csv, column: "PM10")
            source.resample = daily ? .daily : nil
            source.fillGaps = 3
            let loaded = try source.load([path])
            for n in loaded.notes { Console.log(n, quiet: output.quiet) }
            var s = ExperimentSetup(target: "PM10", lookback: daily ? 14 : 24, model: "lstm:32,dense:1")
            s.unit = "µg/m³"
            s.frequency = daily ? .daily : .hourly
            s.calendar = daily ? try calendarInputs() : [.hour]
            s.transform = transform
            s.trainFraction = 0.7
            s.validationFraction = 0.15
            s.epochs = daily ? epochs : hourlyEpochs
            s.batchSize = 32
            s.earlyStoppingPatience = daily ? 10 : 3
            s.seed = seed
            s.source = source
            let sub = try ExperimentOutput.folder(dir.appendingPathComponent(variant).path)
            let modelURL = sub.appendingPathComponent("model.safetensors")
            Console.log("\(variant): \(s.model), lookback \(s.lookback), up to \(s.epochs) epochs on \(loaded.series.count) rows", quiet: output.quiet)
            let r = try Experiment.run(series: loaded.series, setup: s, forecastSteps: daily ? 14 : 48,
                                       progress: output.progressStyle, checkpoint: modelURL)
            if !output.json { Console.out("== PM10 \(variant) ==") }
            json[variant] = try ExperimentOutput.finish(r, loaded: loaded, dir: sub, title: "PM10, Kraków ul. Złoty Róg — \(variant) LSTM",
                                                        modelPath: modelURL.path, output: output, printJSON: false)
            variants.append((variant, r))
        }
        var report = HTMLReport(title: "PM10 at Kraków, ul. Złoty Róg: LSTM against persistence",
                                subtitle: "Recurrent — Lab 6, Exercise 2 (GIOŚ data)")
        report.add(ExperimentComparison.section(
            heading: "Daily and hourly models",
            intro: [.text("Each variant's full report (charts, data summary, command): ")]
                + variants.enumerated().flatMap { (i, v) -> [HTMLReport.Inline] in
                    [.text(i == 0 ? "" : ", "), .link("\(v.name)/report.html", href: "\(v.name)/report.html")]
                } + [.text(". The daily model predicts the next day's mean, the hourly one the next hour: their errors are not comparable with each other.")],
            variants: variants, chartOf: variants.first?.name, sameTarget: false))
        var cmd = HTMLReport.Section("Command")
        cmd.code(Console.commandLine)
        report.add(cmd)
        try report.write(to: dir.appendingPathComponent("report.html"))
        if output.json { Console.json(json) }
    }
}

/// `rnn demo pm10 --only`: which of the two models to train.
enum PM10Variants: String, CaseIterable, ExpressibleByArgument {
    case daily, hourly, both
}
