import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn forecast`: future values from a saved model.
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast the next --steps values after the end of the data with a saved model.",
        discussion: """
        Reads --data as the model's data was read, takes the last --lookback rows, and \
        forecasts --steps values (recursively for a one-step model), dated by the series' \
        calendar: business days (Mon–Fri) for NBP rates, hours for hourly PM10, days for daily \
        data. Writes forecast.csv, forecast.svg and report.html (with the test-part evaluation) \
        to --out.
        """
    )

    @OptionGroup var file: ModelFileOption

    @OptionGroup var dataOptions: DataOptions

    @Option(parsing: .unconditional, help: "Steps to forecast.")
    var steps = 30

    @OptionGroup var folder: ResultsFolderOption

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        try SavedModelRun.run(model: file.model, data: dataOptions, steps: steps, out: folder.out, output: output, title: "Forecast")
    }
}
