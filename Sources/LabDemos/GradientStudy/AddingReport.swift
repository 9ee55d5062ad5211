import Forecast
import Charts
import Foundation
import Recurrent

extension AddingBudget {
    /// One line: units, samples, epochs, batch, learning rate, clipping, seed.
    public var summary: String {
        "units \(units), \(trainSamples) train / \(testSamples) test sequences, \(epochs) epochs, batch \(batchSize), Adam lr \(learningRate), "
            + (clipNorm.map { "clip global norm \($0)" } ?? "no clipping") + ", seed \(seed)"
    }

    var json: [String: Any] {
        ["units": units, "train_samples": trainSamples, "test_samples": testSamples, "epochs": epochs, "batch_size": batchSize,
         "learning_rate": learningRate, "clip_norm": clipNorm as Any, "seed": Int(seed)]
    }
}

/// Results of the adding-problem comparison: text table, JSON, charts and HTML report.
public enum AddingReport {
    /// A text table: rows T, columns test MSE per cell, then the baseline.
    public static func table(_ runs: [AddingRun]) -> String {
        let steps = runs.map(\.steps).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        let cells = runs.map(\.cell).reduce(into: [RecurrentKind]()) { if !$0.contains($1) { $0.append($1) } }
        var lines = ["Test MSE (predicting 1 gives ≈ 0.167; < 0.01 = solved)"]
        lines.append("     T " + cells.map { $0.displayName.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined() + "baseline")
        for t in steps {
            var line = String(format: "%6d ", t)
            for c in cells {
                if let r = runs.first(where: { $0.steps == t && $0.cell == c }) {
                    line += (String(format: "%.5f", r.testMSE) + (r.solved ? " ✓" : "")).padding(toLength: 18, withPad: " ", startingAt: 0)
                } else {
                    line += String(repeating: " ", count: 18)
                }
            }
            if let r = runs.first(where: { $0.steps == t }) { line += String(format: "%.4f", r.baselineMSE) }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The `--json` object: `{"results": [{cell, steps, test_mse, baseline_mse, …}], "budget": …}`.
    public static func json(_ runs: [AddingRun], budget: AddingBudget, wallSeconds: Double) -> [String: Any] {
        ["results": runs.map { r -> [String: Any] in
            ["cell": r.cell.rawValue, "steps": r.steps, "test_mse": r.testMSE, "baseline_mse": r.baselineMSE, "solved": r.solved,
             "train_seconds": r.trainSeconds, "train_loss": r.trainLoss, "stop_reason": r.stopReason]
        }, "budget": budget.json, "wall_seconds": wallSeconds]
    }

    /// Training loss per epoch of every run, log scale.
    public static func lossChart(_ runs: [AddingRun]) -> LineChart {
        var chart = LineChart(title: "Adding problem: training MSE per epoch", width: 900, height: 460,
                              x: AxisOptions(label: "Epoch"), y: AxisOptions(label: "Training MSE"), xScale: .linear, yScale: .log10)
        let steps = runs.map(\.steps).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        let dashes: [DashStyle] = [.solid, .dashed, .dotted]
        for r in runs {
            let color = Palette.color(RecurrentKind.allCases.firstIndex(of: r.cell)!)
            let dash = dashes[(steps.firstIndex(of: r.steps) ?? 0) % dashes.count]
            chart.add(LineSeries("\(r.cell.displayName) T=\(r.steps)", x: r.trainLoss.indices.map { Double($0 + 1) }, y: r.trainLoss.map { Optional($0) },
                                 color: color, dash: dash))
        }
        chart.add(ReferenceLine(y: AddingProblem.baselineMSE, label: "predict 1 (0.167)"))
        chart.add(ReferenceLine(y: 0.01, label: "solved (0.01)", color: .gray, dash: .dotted))
        return chart
    }

    /// Writes results.json, loss-curves.svg and report.html into `dir`; returns the JSON object.
    @discardableResult
    public static func write(_ runs: [AddingRun], budget: AddingBudget, wallSeconds: Double, to dir: URL, command: String) throws -> [String: Any] {
        let object = json(runs, budget: budget, wallSeconds: wallSeconds)
        try writeAtomically(JSONOutput.string(object), to: dir.appendingPathComponent("results.json"))
        let chart = lossChart(runs).svg()
        try writeAtomically(chart, to: dir.appendingPathComponent("loss-curves.svg"))
        var report = HTMLReport(title: "The adding problem", subtitle: "SimpleRNN(tanh) vs LSTM vs GRU with the same budget")
        var s = HTMLReport.Section("Result")
        s.paragraph("Each sequence has T steps of (value ~ U(0,1), marker); the target is the sum of the two marked values (one marker in each half). Predicting 1 always gives MSE ≈ 0.167; test MSE < 0.01 counts as solved.")
        let cells = runs.map(\.cell).reduce(into: [RecurrentKind]()) { if !$0.contains($1) { $0.append($1) } }
        var table = Table(header: ["T"] + cells.map(\.displayName) + ["baseline"], caption: "Test MSE")
        for t in runs.map(\.steps).reduce(into: [Int](), { if !$0.contains($1) { $0.append($1) } }) {
            var row: [TableCell] = [.number(Double(t), 0)]
            for c in cells { row.append(runs.first { $0.steps == t && $0.cell == c }.map { .number($0.testMSE, 5) } ?? .text("")) }
            row.append(runs.first { $0.steps == t }.map { .number($0.baselineMSE, 4) } ?? .text(""))
            table.addRow(row)
        }
        s.table(table)
        s.keyValues([("Budget", budget.summary), ("Wall time", String(format: "%.1f s", wallSeconds)), ("Command", command)])
        report.add(s)
        var curves = HTMLReport.Section("Training curves")
        curves.figure(chart, caption: "Training MSE per epoch (log scale); colours are cells, dash styles are T.")
        report.add(curves)
        try report.write(to: dir.appendingPathComponent("report.html"))
        return object
    }
}
