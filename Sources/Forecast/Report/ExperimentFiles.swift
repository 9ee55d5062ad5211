import Foundation
import Recurrent

/// The plain files of an experiment's output folder: `metrics.json`, `predictions.csv`,
/// `forecast.csv`, `history.csv`.
enum ExperimentFiles {
    /// The stable `--json` / `metrics.json` object (keys documented in the README).
    static func metricsObject(_ r: ExperimentResult, modelPath: String?, extra: [String: Any] = [:]) -> [String: Any] {
        var test: [String: Any] = [:]
        for m in r.methods { test[m.name] = JSONOutput.metrics(m.metrics) }
        var object: [String: Any] = [
            "test": test,
            "epochs": r.history.epochsRun,
            "train_seconds": r.trainSeconds,
            "model_path": modelPath as Any,
            "parameters": r.model.parameterCount,
            "unit": r.setup.unit,
            "target": r.setup.target,
            "model_spec": r.setup.model,
            "lookback": r.setup.lookback,
            "horizon": r.setup.horizon,
            "transform": r.setup.transform.rawValue,
            "frequency": r.setup.frequency?.description ?? "steps",
            "seasonal_period": r.setup.seasonalPeriod,
            "ensemble": r.setup.ensemble ?? 1,
            "stop_reason": r.history.epochsRun == 0 ? "not trained here" : "\(r.history.stopReason)",
            "best_baseline": r.bestBaseline?.name as Any,
            "verdict": r.verdict?.json as Any,
            "data": [
                "rows": r.data.rows, "first": r.data.first, "last": r.data.last,
                "missing_target_values": r.data.missingTargetValues, "windows": r.data.windows,
                "train_windows": r.data.trainWindows, "validation_windows": r.data.validationWindows,
                "test_windows": r.data.testWindows, "input_features": r.data.inputFeatures,
                "gaps_filled": r.data.gapsFilled, "inserted_steps": r.data.insertedSteps, "cleaning": r.data.notes,
                "covariates": r.data.covariates,
            ] as [String: Any],
            "diebold_mariano": ModelComparison.jsonObject(ModelComparison.all(r)),
        ]
        if let last = r.history.records.last {
            object["final_loss"] = last.metrics["loss"] as Any
            object["final_val_loss"] = last.metrics["val_loss"] as Any
        }
        if let f = r.future {
            object["forecast"] = f.values.indices.map { i -> [String: Any] in
                ["time": f.times[i].map { stamp($0, r.setup) } ?? "step \(f.rows[i])", "value": f.values[i]]
            }
        }
        if let i = r.intervals { object["intervals"] = IntervalReport.jsonObject(i) }
        for (k, v) in extra { object[k] = v }
        return object
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
