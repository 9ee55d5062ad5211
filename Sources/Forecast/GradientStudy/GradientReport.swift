import Foundation
import Recurrent

/// Output of `rnn gradients`: JSON, text summary, charts and the HTML report.
public enum GradientReport {
    static func snapshotJSON(_ s: GradientSnapshot, cell: StudyCell) -> [String: Any] {
        var o: [String: Any] = [
            "norms": s.norms, "decay_per_step": s.decay?.perStep as Any, "decay_r2": s.decay?.rSquared as Any,
            "spectral_radius": s.spectralRadius, "spectral_radius_gate": cell.gateNames[cell.headlineGate],
            "spectral_radius_blocks": Dictionary(uniqueKeysWithValues: zip(cell.gateNames, s.blockRadii)),
        ]
        if !s.cellNorms.isEmpty { o["cell_norms"] = s.cellNorms }
        return o
    }

    /// `{"cells": {"rnn": {"norms", "decay_per_step", "spectral_radius", "trained": {…}, …}}, "exploding": {…}}`;
    /// the top-level fields of a cell are at initialisation, `trained` after training.
    public static func json(_ r: GradientStudyResult) -> [String: Any] {
        var cells: [String: Any] = [:]
        for c in r.cells {
            var o = snapshotJSON(c.initial, cell: c.cell)
            var trained = snapshotJSON(c.trained, cell: c.cell)
            trained["test_mse"] = c.trainedTestMSE
            trained["train_seconds"] = c.trainSeconds
            o["trained"] = trained
            cells[c.cell.rawValue] = o
        }
        let e = r.exploding
        let runs: [[String: Any]] = e.runs.map { run in
            ["label": run.label, "clip_norm": run.clipNorm.map { Double($0) } as Any, "batch_loss": run.batchLoss,
             "batch_grad_norm": run.batchGradientNorm, "diverged": run.diverged as Any,
             "final_loss": run.batchLoss.last as Any, "max_grad_norm": run.batchGradientNorm.max() as Any]
        }
        return ["cells": cells, "steps": r.config.steps,
                "exploding": ["spectral_radius": e.spectralRadius, "clipping_steps": r.config.clippingSteps, "clipping_learning_rate": Double(r.config.clippingLearningRate), "norms": e.norms, "growth_per_step": e.decay?.perStep as Any, "runs": runs],
                "budget": r.config.budget.json]
    }

    /// The text summary printed without `--json`.
    public static func text(_ r: GradientStudyResult) -> String {
        let t = r.config.steps
        var lines = ["‖∂L/∂h‖ at distance k from the loss (T = \(t); k = \(t) is the initial state); per-step factor from a least-squares fit of log-norm vs k:"]
        lines.append("  cell              when      k=0         k=\(t / 2)        k=\(t)        per step   ρ(W_hh block)")
        func row(_ name: String, _ when: String, _ s: GradientSnapshot, _ gate: String) -> String {
            let mid = s.norms.count > t / 2 ? s.norms[t / 2] : .nan
            return "  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + when.padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(format: "%-11.3e %-11.3e %-11.3e %-10.4f %.3f (%@)", s.norms.first ?? .nan, mid, s.norms.last ?? .nan,
                         s.decay?.perStep ?? .nan, s.spectralRadius, gate as NSString)
        }
        for c in r.cells {
            let gate = c.cell.gateNames[c.cell.headlineGate]
            lines.append(row(c.cell.displayName, "init", c.initial, gate))
            lines.append(row("", "trained", c.trained, gate) + String(format: "  test MSE %.4f", c.trainedTestMSE))
            if !c.initial.cellNorms.isEmpty, !c.trained.cellNorms.isEmpty {
                let fi = GradientDecayFit.fit(norms: c.initial.cellNorms)?.perStep ?? .nan, ft = GradientDecayFit.fit(norms: c.trained.cellNorms)?.perStep ?? .nan
                lines.append(String(format: "  LSTM ‖∂L/∂c‖       init     %-11.3e k=%d %-11.3e per step %.4f; trained %.3e, k=%d %.3e, per step %.4f",
                                    c.initial.cellNorms[0], t, c.initial.cellNorms.last!, fi, c.trained.cellNorms[0], t, c.trained.cellNorms.last!, ft))
            }
        }
        let e = r.exploding
        lines.append(String(format: "Exploding: SimpleRNN with ρ(W_hh) = %.2f: ‖∂L/∂h‖ per step %.4f, k=0 %.3e, k=%d %.3e", e.spectralRadius,
                            e.decay?.perStep ?? .nan, e.norms.first ?? .nan, t, e.norms.last ?? .nan))
        for run in e.runs {
            let tail = run.batchLoss.suffix(20)
            let finalLoss = tail.isEmpty ? Double.nan : tail.reduce(0, +) / Double(tail.count)
            lines.append(String(format: "  SGD %@: %d batches, max gradient norm %.3g, mean loss of the last 20 batches %.4g%@", run.label as NSString,
                                run.batchLoss.count, run.batchGradientNorm.max() ?? .nan, finalLoss,
                                (run.diverged.map { " — DIVERGED: " + $0 } ?? "") as NSString))
        }
        return lines.joined(separator: "\n")
    }

    /// Norms against distance for every cell, at init (solid) and trained (dashed), log y.
    public static func normsChart(_ r: GradientStudyResult) -> LineChart {
        var chart = LineChart(title: "Gradient norm ‖∂L/∂h‖ k steps before the loss (T = \(r.config.steps))", width: 900, height: 460,
                              x: AxisOptions(label: "Distance from the loss k (steps)"), y: AxisOptions(label: "Gradient norm"),
                              xScale: .linear, yScale: .log10)
        for c in r.cells {
            let color = Palette.color(StudyCell.allCases.firstIndex(of: c.cell)!)
            let xs = c.initial.norms.indices.map(Double.init)
            chart.add(LineSeries("\(c.cell.displayName) at init", x: xs, y: c.initial.norms.map { Optional($0) }, color: color))
            chart.add(LineSeries("\(c.cell.displayName) trained", x: xs, y: c.trained.norms.map { Optional($0) }, color: color, dash: .dashed))
        }
        return chart
    }

    /// The exploding SimpleRNN's norms against distance.
    public static func explodingNormsChart(_ r: GradientStudyResult) -> LineChart {
        var chart = LineChart(title: String(format: "SimpleRNN with ρ(W_hh) = %.2f at init: ‖∂L/∂h‖ k steps before the loss", r.exploding.spectralRadius), width: 900, height: 400,
                              x: AxisOptions(label: "Distance from the loss k (steps)"), y: AxisOptions(label: "Gradient norm"),
                              xScale: .linear, yScale: .log10)
        chart.add(LineSeries("ρ = \(String(format: "%.2f", r.exploding.spectralRadius))", x: r.exploding.norms.indices.map(Double.init),
                             y: r.exploding.norms.map { Optional($0) }, color: Palette.color(3)))
        if let rnn = r.cells.first(where: { $0.cell == .rnn }) {
            chart.add(LineSeries("default init (orthogonal, ρ = 1)", x: rnn.initial.norms.indices.map(Double.init),
                                 y: rnn.initial.norms.map { Optional($0) }, color: Palette.color(0), dash: .dashed))
        }
        return chart
    }

    /// Training loss per batch of the scaled SimpleRNN with and without clipping, log y.
    public static func clippingChart(_ r: GradientStudyResult) -> LineChart {
        var chart = LineChart(title: String(format: "SimpleRNN, ρ(W_hh) = %.2f, T = %d, SGD lr %@: training loss per batch", r.exploding.spectralRadius, r.config.clippingSteps,
                                            String(describing: r.config.clippingLearningRate) as NSString), width: 900, height: 420,
                              x: AxisOptions(label: "Batch"), y: AxisOptions(label: "Training MSE"), xScale: .linear, yScale: .log10)
        for (i, run) in r.exploding.runs.enumerated() {
            chart.add(LineSeries(run.label + (run.diverged != nil ? " (diverged)" : ""), x: run.batchLoss.indices.map { Double($0 + 1) },
                                 y: run.batchLoss.map { Optional($0) }, color: Palette.color(i == 0 ? 3 : 2)))
        }
        chart.add(ReferenceLine(y: AddingProblem.baselineMSE, label: "predict 1 (0.167)"))
        return chart
    }

    /// Writes gradients.json, the three SVGs and report.html into `dir`; returns the JSON object.
    @discardableResult
    public static func write(_ r: GradientStudyResult, to dir: URL, command: String) throws -> [String: Any] {
        let object = json(r)
        try writeAtomically(JSONOutput.string(object), to: dir.appendingPathComponent("gradients.json"))
        let norms = normsChart(r).svg(), exploding = explodingNormsChart(r).svg(), clipping = clippingChart(r).svg()
        try writeAtomically(norms, to: dir.appendingPathComponent("norms.svg"))
        try writeAtomically(exploding, to: dir.appendingPathComponent("exploding-norms.svg"))
        try writeAtomically(clipping, to: dir.appendingPathComponent("clipping.svg"))
        var report = HTMLReport(title: "Vanishing and exploding gradients", subtitle: "SimpleRNN(tanh), LSTM and GRU on the adding problem, T = \(r.config.steps)")
        var s = HTMLReport.Section("Gradient norm against distance")
        s.paragraph("For a batch of \(r.config.probeSamples) adding-problem sequences, one backward pass of the MSE loss records ‖∂L/∂h_t‖ at every step; k is the distance from the last step (k = T is the initial state). The per-step factor is e^b from a least-squares fit of ln‖∂L/∂h‖ = a + b·k. Spectral radii are computed per gate block of the recurrent weight (Gelfand's formula by repeated squaring); the headline is the candidate block (SimpleRNN W_hh, LSTM g, GRU n).")
        s.figure(norms, caption: "Log scale. Solid: at initialisation; dashed: after training on the adding problem.")
        var table = Table(header: ["cell", "when", "norm k=0", "norm k=T", "per-step factor", "R²", "ρ (headline)", "ρ per gate"])
        for c in r.cells {
            for (when, snap) in [("init", c.initial), ("trained", c.trained)] {
                table.addRow([.text(c.cell.displayName), .text(when), .text(String(format: "%.3e", snap.norms.first ?? .nan)),
                              .text(String(format: "%.3e", snap.norms.last ?? .nan)), .number(snap.decay?.perStep ?? .nan, 4),
                              .number(snap.decay?.rSquared ?? .nan, 3), .number(snap.spectralRadius, 3),
                              .text(zip(c.cell.gateNames, snap.blockRadii).map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: ", "))])
            }
        }
        s.table(table)
        s.keyValues(r.cells.map { ("\($0.cell.displayName) trained test MSE", String(format: "%.4f (%.1f s)", $0.trainedTestMSE, $0.trainSeconds)) })
        report.add(s)
        var e = HTMLReport.Section("Exploding gradients and clipping")
        e.paragraph(String(format: "A SimpleRNN whose recurrent matrix is rescaled to spectral radius %.2f: gradients grow with distance instead of vanishing. Trained with plain SGD (lr %@) on adding-problem sequences of T = \(r.config.clippingSteps) steps, with and without clipping the global gradient norm to %@.", r.exploding.spectralRadius, String(describing: r.config.clippingLearningRate) as NSString, String(describing: r.config.clipNorm) as NSString))
        e.figure(exploding, caption: "Gradient norm against distance at initialisation (log scale).")
        e.figure(clipping, caption: "Training loss per batch (log scale).")
        e.code(text(r))
        report.add(e)
        var c = HTMLReport.Section("Run")
        c.keyValues([("Command", command), ("Budget (after training)", r.config.budget.summary)])
        report.add(c)
        try report.write(to: dir.appendingPathComponent("report.html"))
        return object
    }
}
