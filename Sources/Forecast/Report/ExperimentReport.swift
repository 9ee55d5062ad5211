import Charts
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
                             extraJSON: [String: Any] = [:], extraSections: [HTMLReport.Section] = []) throws -> ExperimentMetricsJSON {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let levels = series[r.setup.target]
        let captions = FigureCaptions(r)
        let object = ExperimentFiles.metricsObject(r, modelPath: modelPath, extra: extraJSON)
        try writeAtomically(JSONOutput.string(object) + "\n", to: directory.appendingPathComponent("metrics.json"))
        try writeAtomically(ExperimentFiles.predictionsCSV(r), to: directory.appendingPathComponent("predictions.csv"))
        if let f = ExperimentFiles.forecastCSV(r) { try writeAtomically(f, to: directory.appendingPathComponent("forecast.csv")) }
        if r.history.epochsRun > 0 { try writeAtomically(ExperimentFiles.historyCSV(r.history), to: directory.appendingPathComponent("history.csv")) }

        var figures: [(file: String, svg: String, caption: String)] = [
            ("history.svg", ExperimentCharts.history(r, series: series, levels: levels), captions.history),
            ("test.svg", ExperimentCharts.testPeriod(r), captions.test),
        ]
        if let svg = ExperimentCharts.testOverview(r) {
            figures.append(("test-overview.svg", svg, captions.overview))
        }
        if let svg = ExperimentCharts.forecast(r, series: series, levels: levels) {
            figures.append(("forecast.svg", svg, "The forecast beyond the data, with the dates it is for\(r.intervals?.future == nil ? "" : " and its 80 % and 95 % conformal intervals")."))
        }
        if let svg = ExperimentCharts.loss(r.history) {
            figures.append(("loss.svg", svg, captions.loss))
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

    /// Captions that say what each chart draws, and nothing it does not.
    struct FigureCaptions {
        var history: String, test: String, overview: String, loss: String

        init(_ r: ExperimentResult) {
            let step = r.setup.horizon == 1 ? "one-step-ahead" : "first-step"
            history = "The whole series and the model's \(step) predictions over the test period"
                + (r.future == nil ? "." : "; the forecast beyond the data (dashed).")
            let lines = ExperimentCharts.testLines(r)
            test = ExperimentCharts.testIsWindowed(r)
                ? "Test period, \(ExperimentCharts.testWindowName(r)) of \(r.testRows.count) points: \(lines). The next chart shows the whole test part."
                : "Test period only: \(lines)."
            if r.intervals != nil { test += " Shaded: the model's 80 % and 95 % conformal intervals." }
            overview = "The whole test part in bucket means of the actual values and the model (the band: the actual values' minimum and maximum within each bucket)."
            let h = r.history
            if ExperimentCharts.hasValidation(h) {
                loss = "Training and validation loss per epoch (on the scaled target)"
                    + (h.bestEpoch == nil ? "." : "; the dashed line marks the epoch with the lowest validation loss"
                        + (r.setup.earlyStoppingPatience == nil ? "." : ", whose weights were kept."))
            } else {
                loss = "Training loss per epoch (on the scaled target); there is no validation part."
            }
        }
    }

    /// The verdict (see `Verdict`), with a hint when a model of levels loses to persistence.
    static func verdict(_ r: ExperimentResult) -> String {
        guard let v = r.verdict else { return "" }
        var text = v.sentence(unit: r.setup.unit)
        if !v.modelWins && v.bestBaseline == "persistence" && r.setup.transform == .none {
            text += " A model of levels often loses to persistence (tomorrow = today) on a random-walk-like series; try predicting the change (transform: difference)."
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
            ("calendar", "\(s.frequency.map { "\($0)" } ?? "plain steps"), seasonal period \(s.seasonalPeriod)"),
            ("missing target values", "\(d.missingTargetValues) (after cleaning)"),
            ("gaps filled", "\(d.gapsFilled) value(s) by linear interpolation; \(d.insertedSteps) absent step(s) made explicit"),
            ("windows", "\(d.windows): \(d.trainWindows) train, \(d.validationWindows) validation, \(d.testWindows) test (chronological)"),
            ("inputs", "\(counted(s.lookback, "step")) × \(counted(d.inputFeatures.count, "feature")): \(d.inputFeatures.joined(separator: ", "))"),
            ("target", "\(s.target)\(s.transform == .none ? "" : " as \(s.transform)"), \(s.horizon) step\(s.horizon > 1 ? "s" : "") ahead\(s.horizon > 1 ? (s.direct ? " (direct)" : " (recursive)") : "")"),
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
