import Foundation
import Forecast
import Recurrent

/// Writing an experiment's folder and summary, shared by train/evaluate/forecast/demos.
enum ExperimentOutput {
    /// Writes the report files for `result` and prints the summary (or the JSON object).
    @discardableResult
    static func finish(_ result: ExperimentResult, loaded: LoadedSeries, dir: URL, title: String, modelPath: String?,
                       output: OutputOptions, notes: [String] = [], extraJSON: [String: Any] = [:],
                       extraSections: [HTMLReport.Section] = [], printJSON: Bool = true) throws -> [String: Any] {
        var r = result
        r.data.record(loaded)
        let object = try ExperimentReport.write(r, series: loaded.series, to: dir, title: title, command: Console.commandLine,
                                               modelPath: modelPath, notes: notes, extraJSON: extraJSON, extraSections: extraSections)
        if output.json {
            if printJSON { Console.json(object) }
        } else {
            printSummary(r, dir: dir)
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
