import Forecast
import Charts
import Foundation
import Recurrent

extension GenerateDemo {
    /// Writes report.html, the SVGs and metrics.json to `dir`; returns the summary object.
    @discardableResult
    public static func writeReport(_ r: Result, to dir: URL, command: String) throws -> [String: Any] {
        let o = r.options, t = o.length
        var svgs: [(name: String, svg: String)] = []
        for k in 0..<min(3, r.testWaves.count) {
            let w = r.testWaves[k]
            var chart = LineChart(title: String(format: "Condition f = %.3f cycles/step, φ = %.2f rad", w.frequency, w.phase),
                                  width: 860, height: 280)
            chart.x = AxisOptions(label: "Step")
            chart.y = AxisOptions(label: "Value")
            let steps = (0..<t).map(Double.init)
            chart.add(LineSeries("true sin(2πft + φ)", x: steps, y: w.values(t), color: .darkGray, lineWidth: 2.2))
            chart.add(LineSeries("generated (fed back)", x: steps, y: r.generated[k], color: Palette.color(1), dash: .dashed, lineWidth: 2, marker: .circle, markerSize: 4))
            svgs.append(("wave-\(k + 1).svg", chart.svg()))
        }
        var bars = BarChart(title: "Symbols: transitions that follow the class's rule", width: 720, height: 380, valueDecimals: 3)
        bars.x = AxisOptions(label: "Sampling temperature τ")
        bars.y = AxisOptions(label: "Rule-following rate")
        for (temp, rate) in zip(o.temperatures, r.ruleRates) { bars.add(Bar(String(format: "τ = %g", temp), value: rate)) }
        bars.add(ReferenceLine(y: r.trueRuleRate, label: String(format: "true chains %.2f", r.trueRuleRate)))
        bars.add(ReferenceLine(y: 0.25, label: "uniform random 0.25", color: ChartColor(hex: "#d62728")))
        svgs.append(("symbols.svg", bars.svg()))
        svgs.append(("loss-waves.svg", StructureFiles.lossChart(r.waveLosses, title: "Waves: training MSE (teacher forcing)", label: "MSE")))
        svgs.append(("loss-symbols.svg", StructureFiles.lossChart(r.symbolLosses, title: "Symbols: training cross-entropy (teacher forcing)", label: "cross-entropy")))

        var report = HTMLReport(title: "One-to-many: generating sequences",
                                subtitle: "Tx = 1, Ty = \(t) — one condition in, a whole sequence out, each output fed back as the next input",
                                footer: StructureFiles.footer())
        var w = HTMLReport.Section("Waves: (frequency, phase) → sin(2π f t + φ)")
        w.paragraph(String(format: "Generated from the condition alone, feeding back its own outputs, the GRU reaches MSE %.4f on %d held-out conditions, against %.4f for predicting 0 (the mean of a sine) and %.4f when it is given the true previous value at every step (teacher forcing).",
                           r.generatedMSE, r.testWaves.count, r.zeroMSE, r.teacherForcedMSE))
        var table = Table(header: ["Method (held-out conditions)", "MSE"])
        table.addRow(["GRU, free-running (generation)", .number(r.generatedMSE, 5)])
        table.addRow(["GRU, teacher-forced one-step", .number(r.teacherForcedMSE, 5)])
        table.addRow(["predict 0", .number(r.zeroMSE, 5)])
        w.table(table)
        for (k, s) in svgs.prefix(min(3, r.testWaves.count)).enumerated() {
            w.figure(s.svg, caption: "Figure \(k + 1). A held-out condition: the true sequence and the one the model wrote by feeding back its outputs.")
        }
        report.add(w)
        var s = HTMLReport.Section("Symbols: class → string, sampled with a temperature")
        s.paragraph(String(format: "Each class is a Markov chain over A–D whose preferred transition (probability %.2f) is +1 (class 0: ABCD…), −1 (class 1: ADCB…) or +2 (class 2: ACAC…, BDBD…). The model sees the class and the previous symbol and outputs next-symbol probabilities; strings are sampled from p^(1/τ). A low temperature sharpens the choice (more rule-following than the data), τ = 1 reproduces the chain, a high one drifts towards uniform (0.25).", ruleProbability))
        var rt = Table(header: ["Temperature τ", "Rule-following rate"])
        for (temp, rate) in zip(o.temperatures, r.ruleRates) { rt.addRow([.text(String(format: "%g", temp)), .number(rate, 3)]) }
        rt.addRow(["true chains (test strings)", .number(r.trueRuleRate, 3)])
        rt.addRow(["uniform random", .number(0.25, 3)])
        s.table(rt)
        s.figure(svgs[min(3, r.testWaves.count)].svg, caption: "Figure 4. Rule-following rate of sampled strings by temperature.")
        var st = Table(header: ["τ", "Class", "Sampled string"])
        for (temp, list) in zip(o.temperatures, r.samples) {
            for item in list { st.addRow([.text(String(format: "%g", temp)), .text("\(item.classIndex)"), .text(item.text)]) }
        }
        s.table(st)
        report.add(s)
        var l = HTMLReport.Section("Training")
        for x in svgs.suffix(2) { l.figure(x.svg) }
        l.keyValues([
            ("Waves", "\(o.sequences) training / \(r.testWaves.count) held-out conditions, f ∈ [0.02, 0.10] cycles/step, φ ∈ [0, 2π); inputs per step [scaled f, sin φ, cos φ, previous value]"),
            ("Models", "GRU(\(o.units), return sequences) → Dense(1), MSE; GRU(\(o.units), return sequences) → Dense(4, softmax), categorical cross-entropy"),
            ("Training", "Adam (lr \(o.learningRate)), batch 32, global-norm clipping 1, \(o.run.epochs) epochs each, \(String(format: "%.1f", r.seconds)) s in all"),
            ("Seed", "\(o.run.seed)"),
        ])
        l.code(command)
        l.subheading("The same in Swift")
        l.code("""
        // Teacher forcing: inputs [N, T, 4] = condition + previous true value, targets [N, T, 1].
        var model = Sequential { GRU(\(o.units), returnSequences: true); Dense(1) }
        try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
                      options: FitOptions(epochs: \(o.run.epochs), batchSize: 32, clipping: .globalNorm(1)))
        // Generation: one step at a time, carrying the GRU state and feeding the output back.
        let gru = model.layers[0] as! GRU, head = model.layers[1]
        var state: [Tensor]? = nil, previous: Float = 0
        for _ in 0..<\(t) {
            let r = gru.call(Tensor(shape: [1, 1, 4], scalars: condition + [previous]), initialState: state)
            state = r.finalStates
            previous = head.infer(r.output).scalars[0]
        }
        """)
        report.add(l)
        let metrics = summary(r)
        try StructureFiles.write(to: dir, report: report, svgs: svgs, metrics: metrics)
        return metrics
    }
}
