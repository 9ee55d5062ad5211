import Foundation
import Recurrent

/// Writes everything an experiment produced into one folder: `metrics.json`,
/// `predictions.csv`, `forecast.csv`, `history.csv`, SVG charts and a self-contained
/// `report.html` that shows them with the metrics table, the data summary and the command.
public enum ExperimentReport {
    /// - Parameters:
    ///   - series: the data the experiment ran on (for the history charts).
    ///   - command: the exact command line, shown in the report.
    ///   - modelPath: where the model was saved, if it was.
    ///   - notes: sentences added to the summary (e.g. what the reader did to the data).
    ///   - extraSections: sections shown after the result (e.g. a second variant).
    /// - Returns: the `metrics.json` object.
    @discardableResult
    public static func write(_ r: ExperimentResult, series: TimeSeries, to directory: URL, title: String,
                             command: String, modelPath: String?, notes: [String] = [],
                             extraJSON: [String: Any] = [:], extraSections: [HTMLReport.Section] = []) throws -> [String: Any] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let levels = series[r.setup.target]
        let object = ExperimentFiles.metricsObject(r, modelPath: modelPath, extra: extraJSON)
        try writeAtomically(JSONOutput.string(object) + "\n", to: directory.appendingPathComponent("metrics.json"))
        try writeAtomically(ExperimentFiles.predictionsCSV(r), to: directory.appendingPathComponent("predictions.csv"))
        if let f = ExperimentFiles.forecastCSV(r) { try writeAtomically(f, to: directory.appendingPathComponent("forecast.csv")) }
        if r.history.epochsRun > 0 { try writeAtomically(ExperimentFiles.historyCSV(r.history), to: directory.appendingPathComponent("history.csv")) }

        var figures: [(file: String, svg: String, caption: String)] = [
            ("history.svg", ExperimentCharts.history(r, series: series, levels: levels),
             "The whole series; the model's one-step-ahead predictions over the test period; the future forecast (dashed)."),
            ("test.svg", ExperimentCharts.testPeriod(r),
             "Test period only: actual values, the model, persistence (tomorrow = today) and the best baseline\(r.intervals == nil ? "" : "; shaded: the model's 80 % and 95 % conformal intervals")."),
        ]
        if let svg = ExperimentCharts.forecast(r, series: series, levels: levels) {
            figures.append(("forecast.svg", svg, "The forecast beyond the data, with the dates it is for\(r.intervals?.future == nil ? "" : " and its 80 % and 95 % conformal intervals")."))
        }
        if let svg = ExperimentCharts.loss(r.history) {
            figures.append(("loss.svg", svg, "Training and validation loss per epoch (on the scaled target)."))
        }
        for f in figures { try writeAtomically(f.svg, to: directory.appendingPathComponent(f.file)) }

        var report = HTMLReport(title: title, subtitle: "Recurrent — \(r.setup.target)\(r.setup.unit.isEmpty ? "" : " in \(r.setup.unit)"), model \(r.setup.model)")
        var summary = HTMLReport.Section("Result")
        summary.paragraph(verdict(r))
        for n in notes { summary.paragraph(n) }
        summary.table(metricsTable(r))
        let comparisons = ModelComparison.all(r)
        if !comparisons.isEmpty { summary.table(ModelComparison.table(comparisons, horizon: r.setup.horizon)) }
        if let i = r.intervals { summary.table(IntervalReport.table(i, unit: r.setup.unit)) }
        report.add(summary)
        for section in extraSections { report.add(section) }
        var charts = HTMLReport.Section("Charts")
        for f in figures { charts.figure(f.svg, caption: f.caption) }
        report.add(charts)
        var data = HTMLReport.Section("Data and set-up")
        data.keyValues(dataSummary(r))
        data.subheading("Command")
        data.code(command)
        report.add(data)
        try report.write(to: directory.appendingPathComponent("report.html"))
        return object
    }

    /// One honest sentence: does the model beat the baselines?
    static func verdict(_ r: ExperimentResult) -> String {
        guard let model = r.method("model"), let best = r.bestBaseline else { return "" }
        let unit = r.setup.unit.isEmpty ? "" : " \(r.setup.unit)"
        let m = model.metrics.rmse, b = best.metrics.rmse
        let ratio = b > 0 ? (b - m) / b * 100 : 0
        if m < b {
            return "The model's test RMSE is \(ExperimentCharts.fmt(m))\(unit), \(String(format: "%.1f", ratio))% below the best baseline (\(best.name), \(ExperimentCharts.fmt(b))\(unit))."
        }
        var text = "The model does NOT beat the baselines: its test RMSE is \(ExperimentCharts.fmt(m))\(unit) against \(ExperimentCharts.fmt(b))\(unit) for \(best.name) (\(String(format: "%.1f", -ratio))% worse)."
        if best.name == "persistence" && r.setup.transform == "none" {
            text += " A model of levels often loses to persistence (tomorrow = today) on a random-walk-like series; try predicting the change (--transform difference)."
        }
        return text
    }

    static func metricsTable(_ r: ExperimentResult) -> Table {
        var t = Table(header: ["method", "RMSE", "MAE", "MAPE %", "sMAPE %", "R²", "MASE"],
                      best: [1: .lowest, 2: .lowest, 3: .lowest, 4: .lowest, 5: .highest, 6: .lowest],
                      caption: "Test part, original units\(r.setup.unit.isEmpty ? "" : " (\(r.setup.unit))"), \(r.data.testWindows) windows; MASE scaled by the in-sample \(r.setup.seasonalPeriod == 1 ? "naive" : "seasonal naive (\(r.setup.seasonalPeriod))") error.")
        let decimals = r.methods.map(\.metrics.rmse).min().map { $0 >= 10 ? 2 : ($0 >= 0.1 ? 4 : 5) } ?? 4
        for m in r.methods {
            let x = m.metrics
            t.addRow([.text(m.name), .number(x.rmse, decimals), .number(x.mae, decimals), .number(x.mape, 2), .number(x.smape, 2), .number(x.r2, 3), .number(x.mase, 3)])
        }
        return t
    }

    static func dataSummary(_ r: ExperimentResult) -> [(String, String)] {
        let d = r.data, s = r.setup
        var pairs: [(String, String)] = [
            ("rows", s.frequency == nil ? "\(d.rows) steps" : "\(d.rows) (\(d.first) … \(d.last), \(s.frequency!))"),
            ("missing target values", "\(d.missingTargetValues) (after cleaning)"),
            ("gaps filled", "\(d.gapsFilled) value(s) by linear interpolation; \(d.insertedSteps) absent step(s) made explicit"),
            ("windows", "\(d.windows): \(d.trainWindows) train, \(d.validationWindows) validation, \(d.testWindows) test (chronological)"),
            ("inputs", "\(s.lookback) steps × \(d.inputFeatures.count) features: \(d.inputFeatures.joined(separator: ", "))"),
            ("target", "\(s.target)\(s.transform == "none" ? "" : " as \(s.transform)"), \(s.horizon) step\(s.horizon > 1 ? "s" : "") ahead\(s.horizon > 1 ? (s.direct ? " (direct)" : " (recursive)") : "")"),
            ("scaling", "\(s.scaler), fitted on \(s.scaleOnAllData ? "ALL rows (leaks the test period, as the lab does)" : "the training rows only")"),
            ("model", "\(s.model) — \(r.model.parameterCount) parameters"),
            ("training", "\(s.optimizer) lr \(s.learningRate), \(s.loss) loss, batch \(s.batchSize), \(r.history.epochsRun) of \(s.epochs) epochs, \(String(format: "%.1f", r.trainSeconds)) s, seed \(s.seed)"),
        ]
        if let c = s.clipNorm { pairs.append(("gradient clipping", "global norm \(c)")) }
        if let p = s.earlyStoppingPatience { pairs.append(("early stopping", "patience \(p), best weights restored")) }
        if let t = s.testFrom { pairs.append(("split by date", "\(s.validationFrom.map { "validation from \($0), " } ?? "")test from \(t)")) }
        for (k, n) in d.notes.enumerated() { pairs.append((k == 0 ? "cleaning" : "", n)) }
        if let future = s.futureFeatures, !future.isEmpty {
            pairs.append(("future-known inputs", "\(future.joined(separator: ", ")): each input step carries the NEXT step's value, so the model sees them at the step it forecasts"))
        }
        for (k, n) in d.covariates.enumerated() { pairs.append((k == 0 ? "covariates" : "", n)) }
        return pairs
    }
}
