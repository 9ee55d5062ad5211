import Foundation
import Recurrent

/// The plain files of an experiment's output folder: `metrics.json`, `predictions.csv`,
/// `forecast.csv`, `history.csv`.
enum ExperimentFiles {
    /// The stable `--json` / `metrics.json` object (keys documented in the README).
    static func metricsObject(_ r: ExperimentResult, modelPath: String?, extra: [String: Any] = [:]) -> ExperimentMetricsJSON {
        ExperimentMetricsJSON(r, modelPath: modelPath, extra: extra.mapValues(JSONValue.init(any:)))
    }

    static func timeLabel(_ r: ExperimentResult, window: Int, step: Int) -> String {
        r.setup.frequency == nil ? String(r.testRows[window][step]) : stamp(r.testTimes[window][step], r.setup)
    }

    /// One row per test target: time, [step,] actual, model, each baseline.
    static func predictionsCSV(_ r: ExperimentResult) -> String {
        let multi = r.setup.horizon > 1
        let bounds = r.intervals?.test ?? []
        let boundNames = bounds.flatMap { b in ["lower", "upper"].map { "model_\($0)_\(ForecastIntervals.label(b.level))" } }
        var lines = [([r.setup.frequency == nil ? "step" : "timestamp"] + (multi ? ["horizon"] : []) + ["actual"] + r.methods.map(\.name) + boundNames).joined(separator: ",")]
        for w in r.actual.indices {
            for s in r.actual[w].indices {
                var cells = [timeLabel(r, window: w, step: s)]
                if multi { cells.append(String(s + 1)) }
                cells.append(number(r.actual[w][s]))
                cells += r.methods.map { number($0.paths[w][s]) }
                for b in bounds { cells += [number(b.lower[w][s]), number(b.upper[w][s])] }
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func forecastCSV(_ r: ExperimentResult) -> String? {
        guard let f = r.future else { return nil }
        let bounds = r.intervals?.future ?? []
        let boundNames = bounds.flatMap { b in ["lower", "upper"].map { ",\($0)_\(ForecastIntervals.label(b.level))" } }
        var lines = [(r.setup.frequency == nil ? "step" : "timestamp") + ",forecast" + boundNames.joined()]
        for i in f.values.indices {
            let cells = bounds.map { ",\(number($0.lower[0][i])),\(number($0.upper[0][i]))" }.joined()
            lines.append("\(f.times[i].map { stamp($0, r.setup) } ?? String(f.rows[i])),\(number(f.values[i]))" + cells)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func historyCSV(_ h: History) -> String {
        let keys = Array(Set(h.records.flatMap { $0.metrics.keys })).sorted()
        var lines = [(["epoch"] + keys).joined(separator: ",")]
        for rec in h.records { lines.append(([String(rec.epoch + 1)] + keys.map { number(rec.metrics[$0] ?? .nan) }).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A time stamp as written to files: hourly series always carry the time of day.
    static func stamp(_ t: LocalDateTime, _ setup: ExperimentSetup) -> String {
        guard setup.frequency == .hourly, t.hour == 0, t.minute == 0, t.second == 0 else { return "\(t)" }
        return "\(t) 00:00:00"
    }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        return String(format: "%.6g", v)
    }
}
