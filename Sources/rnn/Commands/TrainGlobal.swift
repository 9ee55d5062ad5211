import Foundation
import Forecast
import LabDemos
import Recurrent

extension Train {
    /// `rnn train --columns A,B,…`: one model on several series, reported per series and overall.
    func runGlobal(_ names: [String]) throws {
        guard names.count >= 2 else { throw ExperimentError.invalidSetup("--columns needs at least two series, got \(names.count)") }
        var options = dataOptions
        if options.column == nil { options.column = names[0] }
        var (loaded, source) = try options.load(extraColumns: names, quiet: output.quiet)
        // The reader fills gaps in its value column only; every series of a global model is a target.
        if dataOptions.fillGaps > 0 {
            let r = try Cleaning.interpolateLinear(loaded.series, columns: names.dropFirst(), maxGap: dataOptions.fillGaps)
            loaded.series = r.series
            loaded.notes.append("Filled \(r.filled) missing value(s) of the other series in gaps of at most \(dataOptions.fillGaps) step(s).")
            Console.log(loaded.notes.last!, quiet: output.quiet)
        }
        let setup = try training.setup(target: names[0], loaded: loaded, unit: dataOptions.resolvedUnit(loaded), source: source)
        let dir = try ExperimentOutput.folder(folder.out)
        Console.log("Training one \(setup.model) on \(names.count) series (\(names.joined(separator: ", "))), \(loaded.series.count) rows each, \(setup.epochs) epochs", quiet: output.quiet)
        let result = try GlobalExperiment.run(series: loaded.series, columns: names, setup: setup, forecastSteps: forecast,
                                              progress: output.progressStyle)
        let object = try GlobalReport.write(result, series: loaded.series, to: dir, command: Console.commandLine) { $0.record(loaded) }
        if output.json { Console.json(object); return }
        let overall = result.overall
        Console.out("Test parts of \(names.count) series; mean MASE (scale-free) and RMSE / linear AR (geometric mean over series):")
        Console.out("  method            mean MASE   RMSE/AR  series won")
        for (name, o) in overall.sorted(by: { $0.value.meanMASE < $1.value.meanMASE }) {
            Console.out("  " + name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%10.4f %9.3f %6d", o.meanMASE, o.rmseRelativeToLinearAR, o.wins))
        }
        for m in result.overallIntervals {
            Console.out("Intervals: \(ForecastIntervals.label(m.level)) % covers \(String(format: "%.1f", m.coverage * 100)) % of all test values")
        }
        Console.out("Trained \(result.results[0].history.epochsRun) epochs in \(String(format: "%.1f", result.trainSeconds)) s; wrote \(dir.path)/{metrics.json, report.html} and one folder per series")
    }
}
