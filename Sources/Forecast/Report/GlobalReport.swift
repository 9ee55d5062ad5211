import Charts
import Foundation
import Recurrent

/// The output folder of a global model: one sub-folder per series with its full experiment
/// report (and the model file with that series' scaler), plus `metrics.json` and a
/// `report.html` comparing the model with the baselines per series and over all series.
public enum GlobalReport {
    /// Writes everything; returns the top-level metrics.json object.
    @discardableResult
    public static func write(_ g: GlobalResult, series: TimeSeries, to directory: URL, command: String,
                             notes: [String] = [], cleaning: (inout DataSummary) -> Void = { _ in }) throws -> [String: Any] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var perSeries: [String: Any] = [:]
        for (name, result) in zip(g.columns, g.results) {
            var r = result
            cleaning(&r.data)
            let dir = directory.appendingPathComponent(folderName(name))
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let modelURL = dir.appendingPathComponent("model.safetensors")
            try ForecastModelFile.save(r.model, setup: r.setup, scalings: r.scalings, to: modelURL)
            perSeries[name] = try ExperimentReport.write(r, series: series.selecting([name]), to: dir,
                                                         title: "Global model: \(name)", command: command, modelPath: modelURL.path,
                                                         notes: ["One model trained on \(g.columns.count) series (\(g.columns.joined(separator: ", "))); this page evaluates it on \(name)."])
        }
        let object = jsonObject(g, perSeries: perSeries)
        try writeAtomically(JSONOutput.string(object) + "\n", to: directory.appendingPathComponent("metrics.json"))

        let setup = g.results[0].setup
        var report = HTMLReport(title: "Global model on \(g.columns.count) series", subtitle: "Recurrent — model \(setup.model)")
        var summary = HTMLReport.Section("Result")
        summary.paragraph(verdict(g))
        for n in notes { summary.paragraph(n) }
        summary.table(overallTable(g))
        summary.table(seriesTable(g))
        report.add(summary)
        var setupSection = HTMLReport.Section("Set-up")
        setupSection.keyValues([
            ("series", g.columns.joined(separator: ", ")),
            ("windows", "\(g.trainingWindows) training windows pooled from all series; each series scaled by its own \(setup.scaler) scaler fitted on its training rows"),
            ("model", "\(setup.model) — \(g.results[0].model.parameterCount) parameters, \(g.results[0].history.epochsRun) epochs, \(String(format: "%.1f", g.trainSeconds)) s"),
            ("per-series reports", g.columns.map { "\(folderName($0))/report.html" }.joined(separator: ", ")),
        ])
        setupSection.subheading("Command")
        setupSection.code(command)
        report.add(setupSection)
        try report.write(to: directory.appendingPathComponent("report.html"))
        return object
    }

    /// A folder name for a series (its name with anything but letters, digits, `-`, `_` replaced).
    public static func folderName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    static func jsonObject(_ g: GlobalResult, perSeries: [String: Any]) -> [String: Any] {
        var overall: [String: Any] = [:]
        for (name, o) in g.overall {
            overall[name] = ["rmse": o.rmse, "mae": o.mae, "mean_mase": o.meanMASE,
                             "rmse_relative_to_linear_ar": o.rmseRelativeToLinearAR, "wins": o.wins] as [String: Any]
        }
        var intervals: [String: Any] = [:]
        for m in g.overallIntervals {
            intervals[ForecastIntervals.label(m.level)] = ["coverage": m.coverage, "count": m.count] as [String: Any]
        }
        return ["columns": g.columns, "series": perSeries, "overall": overall, "overall_intervals": intervals,
                "train_seconds": g.trainSeconds, "training_windows": g.trainingWindows,
                "epochs": g.results[0].history.epochsRun, "parameters": g.results[0].model.parameterCount]
    }

    static func verdict(_ g: GlobalResult) -> String {
        let o = g.overall
        guard let m = o["model"] else { return "" }
        let best = o.filter { $0.key != "model" }.min { $0.value.meanMASE < $1.value.meanMASE }
        var text = "Over \(g.columns.count) series the model's mean MASE is \(ExperimentCharts.fmt(m.meanMASE))"
        if let best { text += " against \(ExperimentCharts.fmt(best.value.meanMASE)) for the best baseline (\(best.key))" }
        text += "; it has the lowest test RMSE on \(m.wins) of \(g.columns.count) series."
        return text
    }

    static func overallTable(_ g: GlobalResult) -> Table {
        var t = Table(header: ["method", "mean MASE", "RMSE / linear AR (geo. mean)", "series won", "pooled RMSE", "pooled MAE"],
                      best: [1: .lowest, 2: .lowest, 3: .highest],
                      caption: "All series' test parts. Pooled RMSE/MAE mix the series' units; mean MASE and the ratio to linear AR do not.")
        for (name, o) in g.overall.sorted(by: { $0.value.meanMASE < $1.value.meanMASE }) {
            t.addRow([.text(name), .number(o.meanMASE, 3), .number(o.rmseRelativeToLinearAR, 3), .text("\(o.wins)"), .number(o.rmse, 4), .number(o.mae, 4)])
        }
        return t
    }

    static func seriesTable(_ g: GlobalResult) -> Table {
        var t = Table(header: ["series", "model RMSE", "linear AR RMSE", "best baseline", "DM p (model vs linear AR)", "80 % coverage", "95 % coverage"],
                      caption: "Per series, original units. DM: Diebold–Mariano test on the test errors (two-sided).")
        for (name, r) in zip(g.columns, g.results) {
            let model = r.method("model")?.metrics.rmse ?? .nan
            let ar = r.method("linear_ar")?.metrics.rmse ?? .nan
            let best = r.bestBaseline.map { "\($0.name) \(ExperimentCharts.fmt($0.metrics.rmse))" } ?? "–"
            let dm = ModelComparison.all(r).first { $0.baseline == "linear_ar" }?.test.pValue ?? .nan
            let cover = (r.intervals?.metrics ?? []).map { String(format: "%.1f %%", $0.coverage * 100) }
            t.addRow([.text(name), .number(model, 4), .number(ar, 4), .text(best), .number(dm, 4),
                      .text(cover.first ?? "–"), .text(cover.dropFirst().first ?? "–")])
        }
        return t
    }
}
