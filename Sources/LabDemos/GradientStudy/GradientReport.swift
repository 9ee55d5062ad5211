import Forecast
import Charts
import Foundation
import Recurrent

/// Output of `rnn gradients`: JSON, text summary, charts and the HTML report.
public enum GradientReport {
    static func snapshotJSON(_ s: GradientSnapshot, cell: RecurrentKind) -> [String: Any] {
        var o: [String: Any] = [
            "norms": s.norms, "decay_per_step": s.decay?.perStep as Any, "decay_r2": s.decay?.rSquared as Any,
            "spectral_radius": s.spectralRadius, "spectral_radius_gate": cell.gateNames[cell.headlineGate],
            "spectral_radius_blocks": Dictionary(uniqueKeysWithValues: zip(cell.gateNames, s.blockRadii)),
        ]
        if !s.cellNorms.isEmpty { o["cell_norms"] = s.cellNorms }
        return o
    }

    /// `{"cells": {"rnn": {"norms", "decay_per_step", "spectral_radius", "trained": {…}, …}}, "init_schemes":
    /// {"keras": {"rnn": {…}, …}, "pytorch": {…}}, "exploding": {…}}`; the top-level fields of a cell are at
    /// initialisation with the Keras-style init (where training starts), `trained` after training;
    /// `init_schemes` has the at-initialisation snapshot under every measured scheme.
    public static func json(_ r: GradientStudyResult) -> [String: Any] {
        var cells: [String: Any] = [:]
        for c in r.cells {
            var o = snapshotJSON(c.initial, cell: c.cell)
            var trained = snapshotJSON(c.trained, cell: c.cell)
            trained["test_mse"] = c.trainedTestMSE
            trained["train_seconds"] = c.trainSeconds
            trained["seed"] = c.trainedRuns.first.map { Int($0.seed) } as Any
            o["trained"] = trained
            o["trained_over_seeds"] = [
                "seeds": c.trainedRuns.map { Int($0.seed) },
                "norm_k0": c.trainedSpread(\.normAtLoss).json, "norm_kT": c.trainedSpread(\.normAtStart).json,
                "decay_per_step": c.trainedSpread(\.perStep).json, "spectral_radius": c.trainedSpread(\.radius).json,
                "test_mse": c.trainedSpread(\.testMSE).json,
            ] as [String: Any]
            cells[c.cell.rawValue] = o
        }
        var schemes: [String: Any] = [:]
        for scheme in r.config.initSchemes {
            var byCell: [String: Any] = [:]
            for c in r.cells { if let snap = c.initialByScheme[scheme] { byCell[c.cell.rawValue] = snapshotJSON(snap, cell: c.cell) } }
            schemes[scheme.rawValue] = byCell
        }
        let e = r.exploding
        let runs: [[String: Any]] = e.runs.map { run in
            ["label": run.label, "clip_norm": run.clipNorm.map { Double($0) } as Any, "batch_loss": run.batchLoss,
             "batch_grad_norm": run.batchGradientNorm, "diverged": run.diverged as Any,
             "final_loss": run.batchLoss.last as Any, "max_grad_norm": run.batchGradientNorm.max() as Any]
        }
        return ["cells": cells, "init_schemes": schemes, "steps": r.config.steps,
                "exploding": ["spectral_radius": e.spectralRadius, "clipping_steps": r.config.clippingSteps, "clipping_learning_rate": r.config.clippingLearningRate, "norms": e.norms, "growth_per_step": e.decay?.perStep as Any, "runs": runs],
                "budget": r.config.budget.json]
    }

    /// A cell's trained figures: the median over the training seeds, the range on the next line.
    static func trainedRow(_ name: String, _ c: CellGradientStudy, _ gate: String, steps t: Int) -> String {
        let seeds = c.trainedRuns.count
        let mid = c.trainedSpread { $0.snapshot.norms.count > t / 2 ? $0.snapshot.norms[t / 2] : .nan }
        let head = "  " + name.padding(toLength: 18, withPad: " ", startingAt: 0)
            + (seeds > 1 ? "trained, med" : "trained").padding(toLength: 13, withPad: " ", startingAt: 0)
            + String(format: "%-11.3e %-11.3e %-11.3e %-10.4f %.3f (%@)  test MSE %.4f", c.trainedSpread(\.normAtLoss).median, mid.median,
                     c.trainedSpread(\.normAtStart).median, c.trainedSpread(\.perStep).median, c.trainedSpread(\.radius).median,
                     gate as NSString, c.trainedSpread(\.testMSE).median)
        guard seeds > 1 else { return head }
        let range = { (s: Spread, f: String) in String(format: f, s.min) + "…" + String(format: f, s.max) }
        return head + "\n" + "".padding(toLength: 20, withPad: " ", startingAt: 0) + "range over \(seeds) seeds: k=0 \(range(c.trainedSpread(\.normAtLoss), "%.2e")), k=T \(range(c.trainedSpread(\.normAtStart), "%.2e")), per step \(range(c.trainedSpread(\.perStep), "%.4f")), ρ \(range(c.trainedSpread(\.radius), "%.3f")), test MSE \(range(c.trainedSpread(\.testMSE), "%.4f"))"
    }

    /// The text summary printed without `--json`.
    public static func text(_ r: GradientStudyResult) -> String {
        let t = r.config.steps
        let seeds = r.cells.first?.trainedRuns.count ?? 1
        var lines = ["‖∂L/∂h‖ at distance k from the loss (T = \(t); k = \(t) is the initial state); per-step factor from a least-squares fit of log-norm vs k"
                     + (seeds > 1 ? "; trained: median over \(seeds) training seeds \(r.config.budget.seed)…\(r.config.budget.seed + UInt64(seeds) - 1):" : ":")]
        lines.append("  cell              when          k=0         k=\(t / 2)        k=\(t)        per step   ρ(W_hh block)")
        func row(_ name: String, _ when: String, _ s: GradientSnapshot, _ gate: String) -> String {
            let mid = s.norms.count > t / 2 ? s.norms[t / 2] : .nan
            return "  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + when.padding(toLength: 13, withPad: " ", startingAt: 0)
                + String(format: "%-11.3e %-11.3e %-11.3e %-10.4f %.3f (%@)", s.norms.first ?? .nan, mid, s.norms.last ?? .nan,
                         s.decay?.perStep ?? .nan, s.spectralRadius, gate as NSString)
        }
        for c in r.cells {
            let gate = c.cell.gateNames[c.cell.headlineGate]
            var first = true
            for scheme in r.config.initSchemes {
                guard let snap = c.initialByScheme[scheme] else { continue }
                lines.append(row(first ? c.cell.displayName : "", "init " + scheme.rawValue, snap, gate))
                first = false
            }
            lines.append(trainedRow(first ? c.cell.displayName : "", c, gate, steps: t))
            if !c.initial.cellNorms.isEmpty, !c.trained.cellNorms.isEmpty {
                let fi = GradientDecayFit.fit(norms: c.initial.cellNorms)?.perStep ?? .nan, ft = GradientDecayFit.fit(norms: c.trained.cellNorms)?.perStep ?? .nan
                lines.append(String(format: "  LSTM ‖∂L/∂c‖     init keras   %-11.3e k=%d %-11.3e per step %.4f; trained %.3e, k=%d %.3e, per step %.4f",
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
            let color = Palette.color(RecurrentKind.allCases.firstIndex(of: c.cell)!)
            let xs = c.initial.norms.indices.map(Double.init)
            chart.add(LineSeries("\(c.cell.displayName) at init", x: xs, y: c.initial.norms.map { Optional($0) }, color: color))
            chart.add(LineSeries("\(c.cell.displayName) trained", x: xs, y: c.trained.norms.map { Optional($0) }, color: color, dash: .dashed))
        }
        return chart
    }

    /// Norms against distance for every cell at initialisation under `scheme`, log y.
    public static func initNormsChart(_ r: GradientStudyResult, scheme: InitScheme) -> LineChart {
        var chart = LineChart(title: "At initialisation, \(scheme.displayName): ‖∂L/∂h‖ k steps before the loss (T = \(r.config.steps))", width: 900, height: 460,
                              x: AxisOptions(label: "Distance from the loss k (steps)"), y: AxisOptions(label: "Gradient norm"),
                              xScale: .linear, yScale: .log10)
        for c in r.cells {
            guard let snap = c.initialByScheme[scheme] else { continue }
            chart.add(LineSeries(String(format: "%@ (ρ = %.2f)", c.cell.displayName as NSString, snap.spectralRadius), x: snap.norms.indices.map(Double.init),
                                 y: snap.norms.map { Optional($0) }, color: Palette.color(RecurrentKind.allCases.firstIndex(of: c.cell)!)))
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

    /// Why the two initialisations disagree at init and why training decides, with this run's figures.
    static func initialisationExplanation(_ r: GradientStudyResult) -> String {
        func factor(_ cell: RecurrentKind, _ pick: (CellGradientStudy) -> GradientSnapshot?) -> String {
            guard let c = r.cells.first(where: { $0.cell == cell }), let s = pick(c), let f = s.decay?.perStep else { return "n/a" }
            return String(format: "%.3f", f)
        }
        let k = { (cell: RecurrentKind, scheme: InitScheme) in factor(cell) { $0.initialByScheme[scheme] } }
        func gap(_ scheme: InitScheme) -> String {
            guard let rnn = r.cells.first(where: { $0.cell == .rnn })?.initialByScheme[scheme]?.norms.last,
                  let lstm = r.cells.first(where: { $0.cell == .lstm })?.initialByScheme[scheme]?.norms.last, rnn > 0, lstm > 0 else { return "" }
            return String(format: "at this init the SimpleRNN's norm %d steps back is %.1e, %.1f orders of magnitude %@ the LSTM's %.1e. ",
                          r.config.steps, rnn, abs(log10(lstm / rnn)), (rnn < lstm ? "below" : "above") as NSString, lstm)
        }
        return "Which cell keeps its gradient at initialisation depends on the initialisation, not on the cell. "
            + "With the Keras-style init the SimpleRNN's recurrent matrix is orthogonal (ρ = 1, every singular value 1), so ∂L/∂h shrinks only through tanh′ "
            + "(per step \(k(.rnn, .keras))), while the gated cells start half-forgetting: LSTM's forget gate σ(1) ≈ 0.73 and GRU's update gate ≈ 0.5 "
            + "multiply the memory path every step, and their candidate blocks are slices of an orthogonal matrix with ρ < 1 "
            + "(per step LSTM \(k(.lstm, .keras)), GRU \(k(.gru, .keras))): \(gap(.keras))"
            + "PyTorch's default draws W_hh from U(−1/√H, 1/√H): by the circular law its eigenvalues fill a disc of radius ≈ 1/√3 ≈ 0.58, "
            + "so the SimpleRNN's gradient shrinks by about that much per step (measured \(k(.rnn, .pytorch))), while the gated cells start with gate biases near 0, "
            + "i.e. gates ≈ 0.5, and additive memory paths (per step LSTM \(k(.lstm, .pytorch)), GRU \(k(.gru, .pytorch))): \(gap(.pytorch))"
            + trainedExplanation(r)
    }

    /// What training did, from this run's trained figures only: nothing here is a fixed claim
    /// that the numbers could contradict.
    static func trainedExplanation(_ r: GradientStudyResult) -> String {
        let cells = r.cells.filter { !$0.trainedRuns.isEmpty }
        guard !cells.isEmpty else { return "" }
        let seeds = cells[0].trainedRuns.count, t = r.config.steps
        let over = seeds > 1 ? "median [range] over \(seeds) training seeds" : "one training seed"
        func list(_ f: (CellGradientStudy) -> String) -> String { cells.map { "\($0.cell.displayName) \(f($0))" }.joined(separator: ", ") }
        var text = "After training on the adding problem (\(over)), the per-step factor is "
            + list { $0.trainedSpread(\.perStep).text("%.3f") }
            + "; the norm \(t) steps back is " + list { $0.trainedSpread(\.normAtStart).text("%.1e") }
            + "; test MSE < 0.01 (solved) in " + list { c in "\(c.trainedRuns.filter { $0.testMSE < 0.01 }.count) of \(seeds)" } + ". "
        let median = { (c: CellGradientStudy) in c.trainedSpread(\.normAtStart).median }
        if let rnn = cells.first(where: { $0.cell == .rnn }),
           let gated = cells.filter({ $0.cell != .rnn }).max(by: { median($0) < median($1) }),
           median(rnn) > 0, median(gated) > 0 {
            let orders = abs(log10(median(gated) / median(rnn)))
            if median(rnn) < median(gated) {
                text += String(format: "Here the gated cells keep more of the gradient: the SimpleRNN's median norm %d steps back is %.1f orders of magnitude below the %@'s. ",
                               t, orders, gated.cell.displayName as NSString)
            } else {
                text += String(format: "Here the SimpleRNN's median norm %d steps back is not below the gated cells' (%.1f orders of magnitude above the %@'s): a gradient that reaches far back does not by itself mean the cell carries the number — compare the test MSE. ",
                               t, orders, gated.cell.displayName as NSString)
            }
            let rho = rnn.trainedSpread(\.radius).median, factor = rnn.trainedSpread(\.perStep).median
            if rho > 1 && factor < 1 {
                text += String(format: "Training pushed the SimpleRNN's ρ(W_hh) to %.2f (median), yet its gradient still shrinks per step: tanh′ < 1 where the units saturate. ", rho)
            } else if factor >= 1 {
                text += String(format: "The SimpleRNN's median per-step factor is %.3f ≥ 1 (ρ(W_hh) %.2f): its gradient no longer vanishes along this batch. ", factor, rho)
            }
        }
        if seeds > 1 {
            text += "The range across seeds is part of the result: a SimpleRNN trained on this problem is chaotic, and the same seed can give other figures on another CPU (libm's tanh/exp differ in the last bit)."
        }
        return text
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
        let runs = r.cells.first?.trainedRuns.count ?? 1
        s.figure(norms, caption: "Log scale. Solid: at initialisation (Keras-style init, where training starts); dashed: after training on the adding problem with seed \(r.config.budget.seed)"
                 + (runs > 1 ? " (the tables give median and range over \(runs) seeds)." : "."))
        let pytorchChart = r.config.initSchemes.contains(.pytorch) ? initNormsChart(r, scheme: .pytorch).svg() : nil
        if let pytorchChart {
            try writeAtomically(pytorchChart, to: dir.appendingPathComponent("norms-pytorch-init.svg"))
            s.figure(pytorchChart, caption: "Log scale. At initialisation with PyTorch's default: every weight and bias U(−1/√H, 1/√H), H = \(r.config.budget.units).")
        }
        s.paragraph(initialisationExplanation(r))
        var table = Table(header: ["cell", "when", "norm k=0", "norm k=T", "per-step factor", "R²", "ρ (headline)", "ρ per gate"])
        for c in r.cells {
            let inits = r.config.initSchemes.compactMap { scheme in c.initialByScheme[scheme].map { ("init, " + scheme.rawValue, $0) } }
            let firstSeed = c.trainedRuns.first.map { "trained, seed \($0.seed)" } ?? "trained"
            for (when, snap) in inits + [(firstSeed, c.trained)] {
                table.addRow([.text(c.cell.displayName), .text(when), .text(String(format: "%.3e", snap.norms.first ?? .nan)),
                              .text(String(format: "%.3e", snap.norms.last ?? .nan)), .number(snap.decay?.perStep ?? .nan, 4),
                              .number(snap.decay?.rSquared ?? .nan, 3), .number(snap.spectralRadius, 3),
                              .text(zip(c.cell.gateNames, snap.blockRadii).map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: ", "))])
            }
        }
        s.table(table)
        let seeds = r.cells.first?.trainedRuns.count ?? 0
        if seeds > 1 {
            var spread = Table(header: ["cell", "norm k=0", "norm k=T", "per-step factor", "ρ (headline)", "test MSE"],
                               caption: "After training: median [min–max] over \(seeds) training seeds (\(r.config.budget.seed)…\(r.config.budget.seed + UInt64(seeds) - 1)).")
            for c in r.cells {
                spread.addRow([.text(c.cell.displayName), .text(c.trainedSpread(\.normAtLoss).text("%.2e")), .text(c.trainedSpread(\.normAtStart).text("%.2e")),
                               .text(c.trainedSpread(\.perStep).text("%.4f")), .text(c.trainedSpread(\.radius).text("%.3f")),
                               .text(c.trainedSpread(\.testMSE).text("%.4f"))])
            }
            s.table(spread)
        }
        s.keyValues(r.cells.map { c in ("\(c.cell.displayName) training", String(format: "%.1f s for %d run(s)", c.trainedRuns.reduce(0) { $0 + $1.seconds }, c.trainedRuns.count)) })
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
