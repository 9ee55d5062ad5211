import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// One-to-one: a Dense-only classifier of 2-D spiral points.
struct DemoClassifyPoints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify-points",
        abstract: "One-to-one (Tx = Ty = 1): Dense layers classify 2-D points in interleaved spirals; accuracy vs the majority class.",
        discussion: """
        Generates K spiral arms (seeded), holds out 30 % of the points, trains Dense(h, relu) → \
        Dense(h, relu) → Dense(K, softmax) with categorical cross-entropy and Adam, and writes \
        report.html (decision regions, test points, confusion matrix, loss), the SVGs and \
        metrics.json to --out.
        """
    )

    @Option(help: "Output folder.") var out = "rnn-output/classify-points"
    @Option(help: "Training epochs.") var epochs = 150
    @Option(help: "Seed for the data, the initial weights and shuffling.") var seed: UInt64 = 42
    @Option(help: "Points per class.") var points = 200
    @Option(help: "Number of classes (spiral arms).") var classes = 3
    @Option(help: "Angular noise (radians, standard deviation).") var noise = 0.25
    @Option(help: "Width of the hidden layers.") var hidden = 32
    @OptionGroup var output: OutputOptions

    func run() throws {
        var o = ClassifyPointsDemo.Options(run: structureRun(seed: seed, epochs: epochs, output: output))
        o.pointsPerClass = points; o.classes = classes; o.noise = noise; o.hidden = hidden
        try o.validate()
        Console.log("classify-points: \(classes) spirals × \(points) points, Dense(\(hidden))×2 → Dense(\(classes)), \(epochs) epochs", quiet: output.quiet)
        let started = Date()
        let r = try ClassifyPointsDemo.run(o)
        let metrics = try ClassifyPointsDemo.writeReport(r, to: URL(fileURLWithPath: out), command: Console.commandLine)
        finishStructureDemo(metrics, output: output, started: started, out: out, lines: [
            String(format: "Test accuracy %.3f (majority class %.3f), train accuracy %.3f, %d test points",
                   r.test.accuracy, r.test.majorityAccuracy, r.train.accuracy, r.test.count),
        ])
    }
}

/// The shared settings of the structure demos, with progress lines on stderr unless --quiet.
func structureRun(seed: UInt64, epochs: Int, output: OutputOptions) -> StructureRun {
    let silent = output.quiet || output.progressStyle == ProgressStyle.none
    var log: (@Sendable (String) -> Void)? = nil
    if !silent { log = logLine }
    return StructureRun(seed: seed, epochs: epochs, progress: output.progressStyle, log: log)
}

@Sendable private func logLine(_ line: String) { Console.log(line) }

/// Prints a structure demo's JSON object or its text summary.
func finishStructureDemo(_ metrics: [String: Any], output: OutputOptions, started: Date, out: String, lines: [String]) {
    if output.json {
        var m = metrics
        m["out"] = out
        m["wall_seconds"] = Date().timeIntervalSince(started)
        Console.json(m)
    } else {
        for line in lines { Console.out(line) }
        Console.out("Wrote \(out)/{report.html, metrics.json, *.svg} in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
