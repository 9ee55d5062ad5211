import Forecast
import Charts
import Foundation
import Recurrent

extension ClassifySequencesDemo {
    /// Writes report.html, the SVGs and metrics.json to `dir`; returns the summary object.
    @discardableResult
    public static func writeReport(_ r: Result, to dir: URL, command: String) throws -> [String: Any] {
        let o = r.options, names = classNames
        var confusion = HeatmapChart(title: "Confusion matrix (test, share of each true class)", width: 620, height: 460,
                                     rowLabels: names.map { "true \($0)" }, columnLabels: names.map { "pred. \($0)" },
                                     values: r.scores.normalizedConfusion, valueDecimals: 2)
        confusion.minValue = 0; confusion.maxValue = 1
        confusion.colorbarLabel = "share of the row"
        var examples = LineChart(title: "One test sequence of each class (before padding), shifted apart", width: 860, height: 420)
        examples.x = AxisOptions(label: "Step")
        examples.y = AxisOptions(label: "Value + 4 × row")
        for c in 0..<names.count {
            if let i = r.test.labels.firstIndex(of: c) {
                let v = r.test.values(i)
                let verdict = r.predicted[i] == c ? "✓" : "→ \(names[r.predicted[i]])"
                let shift = Double(4 * (names.count - 1 - c))
                examples.add(LineSeries("\(names[c]) (\(v.count) steps) \(verdict)", x: v.indices.map(Double.init), y: v.map { $0 + shift }))
            }
        }
        let buckets = accuracyByLength(r)
        var byLength = BarChart(title: "Test accuracy by sequence length", width: 720, height: 360, valueDecimals: 2)
        byLength.x = AxisOptions(label: "Length (steps)")
        byLength.y = AxisOptions(label: "Accuracy")
        for b in buckets { byLength.add(Bar("\(b.label) (n=\(b.count))", value: b.accuracy)) }
        byLength.add(ReferenceLine(y: r.scores.majorityAccuracy, label: String(format: "majority %.2f", r.scores.majorityAccuracy), color: ChartColor(hex: "#d62728")))
        let svgs: [(name: String, svg: String)] = [
            ("confusion.svg", confusion.svg()), ("examples.svg", examples.svg()),
            ("accuracy-by-length.svg", byLength.svg()), ("loss.svg", StructureFiles.lossChart(r.losses)),
        ]

        var report = HTMLReport(title: "Many-to-one: recognising waveforms",
                                subtitle: "Tx = \(o.minLength)…\(o.maxLength), Ty = 1 — a GRU reads a whole noisy sequence, a softmax names its shape",
                                footer: StructureFiles.footer())
        var s = HTMLReport.Section("Result")
        s.paragraph(String(format: "Test accuracy %.3f on %d sequences against %.3f for always answering the most frequent class.",
                           r.scores.accuracy, r.scores.count, r.scores.majorityAccuracy))
        var t = Table(header: ["Class", "Precision", "Recall", "F1"])
        for (c, name) in names.enumerated() {
            let p = r.scores.precisionRecallF1(c)
            t.addRow([.text(name), .number(p.precision, 3), .number(p.recall, 3), .number(p.f1, 3)])
        }
        s.table(t)
        var a = Table(header: ["Method", "Test accuracy", "Train accuracy"], best: [1: .highest])
        a.addRow(["GRU + softmax", .number(r.scores.accuracy, 3), .number(r.trainAccuracy, 3)])
        a.addRow(["majority class", .number(r.scores.majorityAccuracy, 3), .empty])
        s.table(a)
        s.figure(svgs[0].svg, caption: "Figure 1. Confusion matrix: each row is a true class, split by what the model answered.")
        s.figure(svgs[1].svg, caption: "Figure 2. Examples: ✓ marks a correct answer, otherwise the arrow gives the model's answer.")
        s.figure(svgs[2].svg, caption: "Figure 3. Accuracy by length: shorter sequences hold fewer periods and are harder.")
        s.figure(svgs[3].svg, caption: "Figure 4. Training cross-entropy per epoch.")
        report.add(s)
        var d = HTMLReport.Section("Set-up")
        d.keyValues([
            ("Data", "\(o.trainCount) training / \(o.testCount) test sequences, classes in turn (balanced); length \(o.minLength)–\(o.maxLength) steps, period 6–20, amplitude 0.5–1.5, Gaussian noise σ = \(o.noise) (seeded)"),
            ("Random lengths", "right-padded to \(o.maxLength) steps; the GRU gets each sequence's length, keeps its state over the padding, so its output is the state at the sequence's own end"),
            ("Model", "GRU(\(o.units)) → Dense(\(names.count), softmax), \(r.model.parameterCount) parameters"),
            ("Training", "Sequential.fit with the lengths (padded steps masked): categorical cross-entropy, Adam (lr \(o.learningRate)), batch \(o.batchSize), shuffled, global-norm clipping 1, \(o.run.epochs) epochs, \(String(format: "%.1f", r.seconds)) s"),
            ("Seed", "\(o.run.seed)"),
        ])
        d.code(command)
        d.subheading("The same in Swift")
        d.code("""
        var model = Sequential { GRU(\(o.units)); Dense(\(names.count), activation: .softmax) }
        try model.build(inputShape: [\(o.maxLength), 1], seed: \(o.run.seed))
        var adam = Adam(learningRate: \(o.learningRate))
        // x [N, \(o.maxLength), 1] right-padded, lengths [N], oneHot [N, \(names.count)]
        try model.fit(x, oneHot, sequences: SequenceOptions(lengths: lengths), loss: .categoricalCrossEntropy(),
                      optimizer: &adam, options: FitOptions(epochs: \(o.run.epochs), batchSize: \(o.batchSize), seed: \(o.run.seed),
                                                            clipping: .globalNorm(1)))
        let probabilities = model.infer(testX, lengths: testLengths)   // the GRU's state at each end → softmax
        """)
        report.add(d)
        let metrics = summary(r)
        try StructureFiles.write(to: dir, report: report, svgs: svgs, metrics: metrics)
        return metrics
    }
}
