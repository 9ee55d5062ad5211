import Forecast
import Charts
import Foundation
import Recurrent

extension TagDemo {
    /// Writes report.html, the SVGs and metrics.json to `dir`; returns the summary object.
    @discardableResult
    public static func writeReport(_ r: Result, to dir: URL, command: String) throws -> [String: Any] {
        let o = r.options
        var svgs: [(name: String, svg: String)] = []
        // Two test signals with at least one spike each.
        let shown = r.test.labels.indices.filter { r.test.labels[$0].contains(1) }.prefix(2)
        for (n, i) in shown.enumerated() {
            let v = r.test.values(i)
            let steps = v.indices.map(Double.init)
            var chart = LineChart(title: "Test signal \(i + 1): true spikes and the model's tags", width: 860, height: 320)
            chart.x = AxisOptions(label: "Step")
            chart.y = AxisOptions(label: "Value")
            chart.add(LineSeries("signal", x: steps, y: v, color: .darkGray, lineWidth: 1.4))
            let truth = v.indices.filter { r.test.labels[i][$0] == 1 }
            let tagged = v.indices.filter { r.predicted[i][$0] == 1 }
            chart.add(LineSeries("true spike", x: truth.map(Double.init), y: truth.map { v[$0] }, color: Palette.color(1), marker: .circle, markerSize: 12, showLine: false))
            chart.add(LineSeries("tagged by the model", x: tagged.map(Double.init), y: tagged.map { v[$0] }, color: Palette.color(2), marker: .diamond, markerSize: 7, showLine: false))
            svgs.append(("signal-\(n + 1).svg", chart.svg()))
        }
        var bars = BarChart(title: "Per-step F1 of the spike class (test)", width: 640, height: 360, valueDecimals: 3)
        bars.y = AxisOptions(label: "F1")
        bars.add(Bar("GRU tagger", value: r.scores.f1))
        bars.add(Bar(String(format: "jump rule |Δx| > %.2f", r.jumpThreshold), value: r.jumpRule.f1, color: Palette.color(7)))
        bars.add(Bar("all normal", value: r.allNormal.f1, color: Palette.color(3)))
        svgs.append(("f1.svg", bars.svg()))
        let cm = ClassificationScores(truth: r.test.labels.flatMap { $0 }, predicted: r.predicted.flatMap { $0 }, classes: 2)
        var confusion = HeatmapChart(title: "Per-step confusion matrix (test, steps)", width: 520, height: 360,
                                     rowLabels: ["true normal", "true spike"], columnLabels: ["tagged normal", "tagged spike"],
                                     values: cm.confusion.map { $0.map { log10(Double($0) + 1) } }, showValues: false)
        confusion.colorbarLabel = "log₁₀(steps + 1)"
        confusion.rowLabels = ["true normal", "true spike"].enumerated().map { "\($0.element) (\(cm.confusion[$0.offset].reduce(0, +)))" }
        confusion.columnLabels = ["tagged normal", "tagged spike"]
        svgs.append(("confusion.svg", confusion.svg()))
        svgs.append(("loss.svg", StructureFiles.lossChart(r.losses)))

        var report = HTMLReport(title: "Many-to-many (Tx = Ty): tagging every step",
                                subtitle: "Tx = Ty = \(o.length) — a GRU reads the signal and a per-step Dense head marks each step normal or spike",
                                footer: StructureFiles.footer())
        var s = HTMLReport.Section("Result")
        s.paragraph(String(format: "Spikes are %.1f %% of the test steps, so answering \"normal\" everywhere is %.1f %% accurate and finds none (F1 0). The GRU tagger reaches F1 %.3f (precision %.3f, recall %.3f); a causal jump rule tuned on the training signals reaches F1 %.3f.",
                           100 * (1 - r.allNormal.accuracy), 100 * r.allNormal.accuracy, r.scores.f1, r.scores.precision, r.scores.recall, r.jumpRule.f1))
        var t = Table(header: ["Method", "Accuracy", "Precision", "Recall", "F1"], best: [1: .highest, 4: .highest])
        func row(_ name: String, _ x: StepScores) { t.addRow([.text(name), .number(x.accuracy, 4), .number(x.precision, 3), .number(x.recall, 3), .number(x.f1, 3)]) }
        row("GRU tagger", r.scores)
        row(String(format: "jump rule |x_t − x_{t−1}| > %.2f", r.jumpThreshold), r.jumpRule)
        row("all normal", r.allNormal)
        s.table(t)
        s.paragraph(String(format: "Confusion counts (steps): %d normal tagged normal, %d normal tagged spike, %d spikes missed, %d spikes found.",
                           cm.confusion[0][0], cm.confusion[0][1], cm.confusion[1][0], cm.confusion[1][1]))
        for (k, x) in svgs.prefix(shown.count).enumerated() {
            s.figure(x.svg, caption: "Figure \(k + 1). Large circles: true spikes; small diamonds: steps the model tagged.")
        }
        s.figure(svgs[shown.count].svg, caption: "Figure \(shown.count + 1). F1 of the spike class per method.")
        s.figure(svgs[shown.count + 1].svg, caption: "Figure \(shown.count + 2). Confusion matrix, coloured on a log scale (the classes are very unequal); the counts are in the sentence above.")
        s.figure(svgs[shown.count + 2].svg, caption: "Figure \(shown.count + 3). Per-step cross-entropy per epoch.")
        report.add(s)
        var d = HTMLReport.Section("Set-up")
        d.keyValues([
            ("Data", "\(o.trainCount) training / \(o.testCount) test signals of \(o.length) steps: two sines (periods 15–40, amplitudes 0.3–0.8) + noise σ 0.1; each step a spike of ±0.8…1.6 with probability \(o.spikeRate) (seeded)"),
            ("Model", "GRU(\(o.units), return sequences) → Dense(2, softmax) applied per step, \(r.model.parameterCount) parameters"),
            ("Training", "per-step categorical cross-entropy, Adam (lr \(o.learningRate)), batch 32, global-norm clipping 1, \(o.run.epochs) epochs, \(String(format: "%.1f", r.seconds)) s"),
            ("Seed", "\(o.run.seed)"),
        ])
        d.code(command)
        d.subheading("The same in Swift")
        d.code("""
        // x [N, \(o.length), 1], y [N, \(o.length), 2] one-hot per step.
        var model = Sequential {
            GRU(\(o.units), returnSequences: true)
            Dense(2, activation: .softmax)        // applied at every step
        }
        var adam = Adam(learningRate: \(o.learningRate))
        try model.fit(x, y, loss: .categoricalCrossEntropy(), optimizer: &adam,
                      options: FitOptions(epochs: \(o.run.epochs), batchSize: 32, clipping: .globalNorm(1)))
        let tags = model.infer(xTest)              // [N, \(o.length), 2]: P(normal), P(spike) per step
        """)
        report.add(d)
        let metrics = summary(r)
        try StructureFiles.write(to: dir, report: report, svgs: svgs, metrics: metrics)
        return metrics
    }
}
