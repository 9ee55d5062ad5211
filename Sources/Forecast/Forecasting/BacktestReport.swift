import Charts
import Foundation
import Recurrent

/// Writes a backtest's output folder: `metrics.json`, `folds.csv`, `predictions.csv`,
/// `errors.svg` (each fold's RMSE over time), `predictions.svg` and `report.html`.
public enum BacktestReport {
    /// - Returns: the `metrics.json` object.
    @discardableResult
    public static func write(_ r: BacktestResult, series: TimeSeries, to directory: URL, title: String,
                             command: String, notes: [String] = []) throws -> BacktestMetricsJSON {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let object = metricsObject(r)
        try writeAtomically(JSONOutput.string(object) + "\n", to: directory.appendingPathComponent("metrics.json"))
        try writeAtomically(foldsCSV(r), to: directory.appendingPathComponent("folds.csv"))
        try writeAtomically(predictionsCSV(r), to: directory.appendingPathComponent("predictions.csv"))
        let errors = errorChart(r), predictions = predictionChart(r)
        try writeAtomically(errors, to: directory.appendingPathComponent("errors.svg"))
        try writeAtomically(predictions, to: directory.appendingPathComponent("predictions.svg"))

        let unit = r.setup.unit.isEmpty ? "" : " (\(r.setup.unit))"
        var report = HTMLReport(title: title, subtitle: "Recurrent — rolling-origin backtest of \(r.setup.target), model \(r.setup.model)")
        var result = HTMLReport.Section("Result")
        result.paragraph(verdict(r))
        for n in notes { result.paragraph(n) }
        var table = Table(header: ["method", "RMSE (all folds)", "MAE", "mean fold RMSE", "folds beating persistence"],
                          best: [1: .lowest, 2: .lowest, 3: .lowest],
                          caption: "\(r.folds.count) folds, \(r.folds.reduce(0) { $0 + $1.testWindows.count }) test windows, original units\(unit).")
        for s in r.summary {
            table.addRow([.text(s.name), .number(s.pooled.rmse, 4), .number(s.pooled.mae, 4), .number(s.meanFoldRMSE, 4),
                          .text(s.name == "persistence" ? "–" : "\(s.foldsBeatingPersistence) of \(r.folds.count)")])
        }
        result.table(table)
        report.add(result)
        var charts = HTMLReport.Section("Charts")
        let other = r.summary.filter { $0.name != "model" && $0.name != "persistence" }.min { $0.pooled.rmse < $1.pooled.rmse }?.name
        charts.figure(errors, caption: "Each fold's test RMSE, at the fold's first forecast origin: the model, persistence"
                      + (other.map { " and the best other baseline (\($0))." } ?? "."))
        charts.figure(predictions, caption: "All folds' one-step-ahead test forecasts against the actual values.")
        report.add(charts)
        var folds = HTMLReport.Section("Folds")
        var ft = Table(header: ["fold", "train windows", "test windows", "from", "to", "trained", "epochs", "model RMSE", "persistence RMSE"],
                       caption: "\(r.options.window.rawValue) window, \(r.options.refit ? "refit before every fold" : "trained once before the first fold").")
        for f in r.folds {
            ft.addRow([.text("\(f.index + 1)"), .text("\(f.trainWindows.lowerBound)–\(f.trainWindows.upperBound - 1)"),
                       .text("\(f.testWindows.count)"), .text(f.firstTime.map { ExperimentFiles.stamp($0, r.setup) } ?? "step \(f.firstRow)"),
                       .text(f.lastTime.map { ExperimentFiles.stamp($0, r.setup) } ?? ""), .text(f.trained ? "yes" : "no"), .text("\(f.epochsRun)"),
                       .number(f.metrics("model")!.rmse, 4), .number(f.metrics("persistence")!.rmse, 4)])
        }
        folds.table(ft)
        report.add(folds)
        var setup = HTMLReport.Section("Set-up")
        setup.keyValues([
            ("model", "\(r.setup.model), \(r.setup.epochs) epochs, batch \(r.setup.batchSize), \(r.setup.optimizer) lr \(r.setup.learningRate)"),
            ("windows", "\(r.setup.lookback) steps → \(r.setup.horizon) ahead, target \(r.setup.transform == .none ? "levels" : "\(r.setup.transform)")"),
            ("backtest", "start at \(Int(r.options.start * 100))% of the windows, \(r.options.window.rawValue) window, \(r.options.refit ? "refit every fold" : "no refit")"),
            ("time", String(format: "%.1f s", r.seconds)),
        ])
        setup.subheading("Command")
        setup.code(command)
        report.add(setup)
        try report.write(to: directory.appendingPathComponent("report.html"))
        return object
    }

    static func verdict(_ r: BacktestResult) -> String {
        guard let v = r.verdict, let m = r.summary("model") else { return "" }
        return "Pooled over the \(r.folds.count) folds. " + v.sentence(unit: r.setup.unit)
            + " The model beats persistence in \(m.foldsBeatingPersistence) of \(r.folds.count) folds."
    }

    static func metricsObject(_ r: BacktestResult) -> BacktestMetricsJSON { BacktestMetricsJSON(r) }

    static func foldsCSV(_ r: BacktestResult) -> String {
        let names = r.summary.map(\.name)
        var lines = [(["fold", "from", "train_windows", "test_windows", "trained"] + names.map { "rmse_\($0)" }).joined(separator: ",")]
        for f in r.folds {
            lines.append(([String(f.index + 1), f.firstTime.map { ExperimentFiles.stamp($0, r.setup) } ?? String(f.firstRow), String(f.trainWindows.count),
                           String(f.testWindows.count), f.trained ? "1" : "0"] + names.map { ExperimentFiles.number(f.metrics($0)?.rmse ?? .nan) })
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func predictionsCSV(_ r: BacktestResult) -> String {
        let names = r.summary.map(\.name)
        var lines = ([r.setup.frequency == nil ? "step" : "timestamp", "fold", "actual"] + names).joined(separator: ",")
        for f in r.folds {
            for w in f.result.actual.indices {
                let time = r.setup.frequency == nil ? String(f.result.testRows[w][0]) : ExperimentFiles.stamp(f.result.testTimes[w][0], r.setup)
                let cells = [time, String(f.index + 1), ExperimentFiles.number(f.result.actual[w][0])]
                    + names.map { ExperimentFiles.number(f.result.method($0)?.paths[w][0] ?? .nan) }
                lines += "\n" + cells.joined(separator: ",")
            }
        }
        return lines + "\n"
    }

    private static func x(_ r: BacktestResult, row: Int, time: LocalDateTime?) -> Double {
        guard r.setup.frequency != nil, let t = time else { return Double(row) }
        return ExperimentCharts.chartDate(t).secondsSinceEpoch
    }

    static func errorChart(_ r: BacktestResult) -> String {
        let dated = r.setup.frequency != nil
        var chart = LineChart(title: "Test RMSE per fold", width: 900, height: 380,
                              x: AxisOptions(label: dated ? "fold start" : "fold start (step)"),
                              y: AxisOptions(label: "RMSE", unit: r.setup.unit.isEmpty ? nil : r.setup.unit), legend: .bottom)
        let xs = r.folds.map { x(r, row: $0.firstRow, time: $0.firstTime) }
        let best = r.summary.filter { $0.name != "model" && $0.name != "persistence" }.min { $0.pooled.rmse < $1.pooled.rmse }?.name
        for (k, name) in ["model", "persistence", best].compactMap({ $0 }).enumerated() {
            var s = LineSeries(name, x: xs, y: r.folds.map { $0.metrics(name)?.rmse }, color: ExperimentCharts.palette[k + 1],
                               dash: name == "model" ? .solid : .dashed, marker: .circle, markerSize: 4)
            s.xIsDate = dated
            chart.add(s)
        }
        return chart.svg()
    }

    static func predictionChart(_ r: BacktestResult) -> String {
        let dated = r.setup.frequency != nil
        var chart = LineChart(title: "Backtest forecasts (one step ahead)", width: 900, height: 400,
                              x: AxisOptions(label: dated ? "date" : "step"),
                              y: AxisOptions(label: r.setup.target, unit: r.setup.unit.isEmpty ? nil : r.setup.unit), legend: .bottom)
        var xs: [Double] = [], actual: [Double] = [], model: [Double] = [], persistence: [Double] = []
        for f in r.folds {
            for w in f.result.actual.indices {
                xs.append(x(r, row: f.result.testRows[w][0], time: f.result.testTimes[w][0]))
                actual.append(f.result.actual[w][0])
                model.append(f.result.method("model")!.paths[w][0])
                persistence.append(f.result.method("persistence")!.paths[w][0])
            }
        }
        for (k, (name, y)) in [("actual", actual), ("model", model), ("persistence", persistence)].enumerated() {
            var s = LineSeries(name, x: xs, y: y, color: ExperimentCharts.palette[k], dash: name == "persistence" ? .dashed : .solid,
                               lineWidth: name == "actual" ? 2 : 1.4)
            s.xIsDate = dated
            chart.add(s)
        }
        for f in r.folds.dropFirst() { chart.add(VerticalMarker(x: x(r, row: f.firstRow, time: f.firstTime), label: "")) }
        return chart.svg()
    }
}

/// `metrics.json` (and `--json`) of `rnn backtest`.
public struct BacktestMetricsJSON: Encodable, Sendable {
    /// Pooled metrics of each method over all folds.
    var summary: [String: JSONOutput.MethodMetrics]
    var folds: [Fold]
    var seconds: JSONNumber
    var window: String
    var refit: Bool
    var verdict: Verdict.JSON?
    var target, unit, modelSpec: String

    struct Fold: Encodable, Sendable {
        var fold, trainWindows, testWindows: Int
        var from: String
        var trained: Bool
        var epochs: Int
        var rmse: [String: JSONNumber]
        enum CodingKeys: String, CodingKey {
            case fold, from, trained, epochs, rmse, trainWindows = "train_windows", testWindows = "test_windows"
        }
    }

    enum CodingKeys: String, CodingKey {
        case summary, folds, seconds, window, refit, verdict, target, unit, modelSpec = "model_spec"
    }

    init(_ r: BacktestResult) {
        var summary: [String: JSONOutput.MethodMetrics] = [:]
        for s in r.summary {
            var o = JSONOutput.metrics(s.pooled)
            o.meanFoldRMSE = JSONNumber(s.meanFoldRMSE)
            o.foldsBeatingPersistence = s.foldsBeatingPersistence
            summary[s.name] = o
        }
        self.summary = summary
        folds = r.folds.map { f in
            Fold(fold: f.index + 1, trainWindows: f.trainWindows.count, testWindows: f.testWindows.count,
                 from: f.firstTime.map { ExperimentFiles.stamp($0, r.setup) } ?? "step \(f.firstRow)", trained: f.trained,
                 epochs: f.epochsRun, rmse: Dictionary(f.result.methods.map { ($0.name, JSONNumber($0.metrics.rmse)) }, uniquingKeysWith: { a, _ in a }))
        }
        seconds = JSONNumber(r.seconds)
        window = r.options.window.rawValue
        refit = r.options.refit
        verdict = r.verdict?.jsonValue
        target = r.setup.target; unit = r.setup.unit; modelSpec = r.setup.model
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary, forKey: .summary)
        try c.encode(folds, forKey: .folds)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(window, forKey: .window)
        try c.encode(refit, forKey: .refit)
        if let verdict { try c.encode(verdict, forKey: .verdict) } else { try c.encodeNil(forKey: .verdict) }
        try c.encode(target, forKey: .target)
        try c.encode(unit, forKey: .unit)
        try c.encode(modelSpec, forKey: .modelSpec)
    }
}
