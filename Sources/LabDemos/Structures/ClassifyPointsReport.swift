import Forecast
import Charts
import Foundation
import Recurrent

extension ClassifyPointsDemo {
    /// Class colors shared by the scatter plot and the decision-region map.
    static func classColor(_ k: Int, of classes: Int) -> ChartColor {
        ColorScale.viridis.color(at: Double(k) / Double(max(1, classes - 1)))
    }

    /// Writes report.html, the SVGs and metrics.json to `dir`; returns the summary object.
    @discardableResult
    public static func writeReport(_ r: Result, to dir: URL, command: String) throws -> [String: Any] {
        let k = r.options.classes
        var scatter = ScatterChart(title: "Test points by true class", width: 520, height: 520, identityLine: false)
        scatter.x = AxisOptions(label: "x₁", min: -1.1, max: 1.1)
        scatter.y = AxisOptions(label: "x₂", min: -1.1, max: 1.1)
        for c in 0..<k {
            let idx = r.testLabels.indices.filter { r.testLabels[$0] == c }
            scatter.add("class \(c)", x: idx.map { r.testPoints[$0][0] }, y: idx.map { r.testPoints[$0][1] },
                        color: classColor(c, of: k), markerSize: 6)
        }
        let wrong = r.testLabels.indices.filter { r.testLabels[$0] != r.testPredicted[$0] }
        if !wrong.isEmpty {
            scatter.add("misclassified", x: wrong.map { r.testPoints[$0][0] }, y: wrong.map { r.testPoints[$0][1] },
                        color: ChartColor(hex: "#d62728"), marker: .diamond, markerSize: 8)
        }
        let resolution = 60
        let grid = r.decisionGrid(resolution: resolution)
        let coords = (0..<resolution).map { -1.1 + 2.2 * (Double($0) + 0.5) / Double(resolution) }
        var regions = HeatmapChart(title: "Decision regions (predicted class)", width: 560, height: 520,
                                   rowLabels: (0..<resolution).map { $0 % 10 == 0 ? String(format: "%.1f", coords[resolution - 1 - $0]) : "" },
                                   columnLabels: (0..<resolution).map { $0 % 10 == 0 ? String(format: "%.1f", coords[$0]) : "" },
                                   values: grid.map { $0.map(Double.init) }, showValues: false)
        regions.x = AxisOptions(label: "x₁")
        regions.y = AxisOptions(label: "x₂")
        regions.colorbarLabel = "class"
        var confusion = HeatmapChart(title: "Confusion matrix (test, counts)", width: 480, height: 400,
                                     rowLabels: (0..<k).map { "true \($0)" }, columnLabels: (0..<k).map { "pred \($0)" },
                                     values: r.test.confusion.map { $0.map(Double.init) }, colorScale: .viridis)
        confusion.colorbarLabel = "points"
        let svgs: [(name: String, svg: String)] = [
            ("points.svg", scatter.svg()), ("regions.svg", regions.svg()),
            ("confusion.svg", confusion.svg()), ("loss.svg", StructureFiles.lossChart(r.losses)),
        ]

        var report = HTMLReport(title: "One-to-one: classifying 2-D points",
                                subtitle: "Tx = Ty = 1 — a Dense-only network, the non-recurrent reference of the lab's §4",
                                footer: StructureFiles.footer())
        var s = HTMLReport.Section("Result")
        s.paragraph(String(format: "Test accuracy %.3f against %.3f for always answering the most frequent class (%d test points, %d classes).",
                           r.test.accuracy, r.test.majorityAccuracy, r.test.count, k))
        var t = Table(header: ["Method", "Test accuracy", "Train accuracy"], best: [1: .highest])
        t.addRow(["Dense network", .number(r.test.accuracy, 3), .number(r.train.accuracy, 3)])
        t.addRow(["majority class", .number(r.test.majorityAccuracy, 3), .empty])
        s.table(t)
        s.figure(svgs[1].svg, caption: "Figure 1. The class the network predicts over the plane: the spiral arms are separated by curved boundaries a linear model could not draw.")
        s.figure(svgs[0].svg, caption: "Figure 2. Test points coloured by their true class; red diamonds mark the misclassified ones.")
        s.figure(svgs[2].svg, caption: "Figure 3. Confusion matrix on the test points (rows: true class, columns: predicted).")
        s.figure(svgs[3].svg, caption: "Figure 4. Categorical cross-entropy per epoch.")
        report.add(s)
        var d = HTMLReport.Section("Set-up")
        d.keyValues([
            ("Data", "\(k) interleaved spiral arms, \(r.options.pointsPerClass) points each, angular noise σ = \(r.options.noise) rad (seeded)"),
            ("Split", "\(r.train.count) training / \(r.test.count) test points, at random"),
            ("Model", "Dense(\(r.options.hidden), relu) → Dense(\(r.options.hidden), relu) → Dense(\(k), softmax), \(r.model.parameterCount) parameters"),
            ("Training", "categorical cross-entropy, Adam (lr \(r.options.learningRate)), batch 32, \(r.options.run.epochs) epochs, \(String(format: "%.1f", r.seconds)) s"),
            ("Seed", "\(r.options.run.seed)"),
        ])
        d.code(command)
        d.subheading("The same in Swift")
        d.code("""
        var model = Sequential {
            Dense(\(r.options.hidden), activation: .relu)
            Dense(\(r.options.hidden), activation: .relu)
            Dense(\(k), activation: .softmax)
        }
        var adam = Adam(learningRate: \(r.options.learningRate))
        try model.fit(points, oneHotLabels, loss: .categoricalCrossEntropy(), optimizer: &adam,
                      options: FitOptions(epochs: \(r.options.run.epochs), batchSize: 32, seed: \(r.options.run.seed)))
        let classes = model.infer(testPoints)   // [N, \(k)] probabilities
        """)
        report.add(d)
        let metrics = summary(r)
        try StructureFiles.write(to: dir, report: report, svgs: svgs, metrics: metrics)
        return metrics
    }
}
