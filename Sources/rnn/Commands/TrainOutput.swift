import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent

/// Writing an experiment's folder and summary, shared by train/evaluate/forecast/demos.
enum ExperimentOutput {
    /// Writes the report files for `result` and prints the summary (or the JSON object).
    @discardableResult
    static func finish(_ result: ExperimentResult, loaded: LoadedSeries, dir: URL, title: String, modelPath: String?,
                       output: OutputOptions, notes: [String] = [], extraJSON: [String: Any] = [:],
                       extraSections: [HTMLReport.Section] = [], printJSON: Bool = true) throws -> ExperimentMetricsJSON {
        var r = result
        r.data.record(loaded)
        let object = try ExperimentReport.write(r, series: loaded.series, to: dir, title: title, command: Console.commandLine,
                                               modelPath: modelPath, notes: notes, extraJSON: extraJSON, extraSections: extraSections)
        if output.json {
            if printJSON { Console.json(object) }
        } else {
            printSummary(r, dir: dir)
            if let i = r.intervals {
                Console.out("Intervals (\(i.method == .adaptive ? "adaptive " : "")split conformal on \(i.calibrationWindows) validation windows): " + i.metrics.map {
                    $0.count == 0
                        ? "\(ForecastIntervals.label($0.level)) % needs at least \(ConformalIntervals.minimumCalibration(level: $0.level)) validation windows (unbounded here)"
                        : "\(ForecastIntervals.label($0.level)) % covers \(String(format: "%.1f", $0.coverage * 100)) % of test values (mean width \(String(format: "%.4g", $0.meanWidth)))"
                }.joined(separator: "; "))
            }
            if let f = r.future, f.times.first??.description != nil {
                let dates = zip(f.times, f.values).prefix(5).map { "\($0.0.map { "\($0)" } ?? "?") \(String(format: "%.4f", $0.1))" }
                Console.out("Forecast dates: " + dates.joined(separator: "; ") + (f.values.count > 5 ? "; … (forecast.csv)" : ""))
            }
        }
        return object
    }

    /// A fresh output folder, removed again if the command fails before writing into it.
    static func folder(_ path: String) throws -> URL { try OutputFolder.make(path) }

    /// The loaded series with its value column renamed to `target` (a model's target name).
    static func renamed(_ loaded: LoadedSeries, to target: String) -> LoadedSeries {
        guard loaded.column != target else { return loaded }
        var l = loaded
        l.series = TimeSeries(timestamps: loaded.series.timestamps, name: target, values: loaded.series.columns[0])
        return l
    }
}
