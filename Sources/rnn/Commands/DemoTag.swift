import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// Many-to-many, Tx = Ty: tag every step of a signal as normal or spike.
struct DemoTag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Many-to-many (Tx = Ty): a GRU with a per-step Dense head marks spikes inside noisy signals; per-step precision/recall/F1.",
        discussion: """
        Generates seeded smooth signals with injected spikes, trains GRU(return sequences) → \
        Dense(2, softmax) on a label per step, and reports per-step accuracy, precision, recall \
        and F1 against predicting "normal" everywhere and a tuned jump-threshold rule.
        """
    )

    @Option(help: "Output folder.") var out = "rnn-output/tag"
    @Option(help: "Training epochs.") var epochs = 30
    @Option(help: "Seed for the data, the initial weights and shuffling.") var seed: UInt64 = 42
    @Option(help: "Training signals.") var train = 600
    @Option(help: "Test signals.") var test = 200
    @Option(help: "Steps per signal.") var length = 80
    @Option(help: "Probability of a spike at a step.") var spikeRate = 0.04
    @Option(help: "GRU units.") var units = 24
    @OptionGroup var output: OutputOptions

    func run() throws {
        var o = TagDemo.Options(run: structureRun(seed: seed, epochs: epochs, output: output))
        o.trainCount = train; o.testCount = test; o.length = length; o.spikeRate = spikeRate; o.units = units
        try o.validate()
        Console.log("tag: \(train) signals of \(length) steps, GRU(\(units)) → Dense(2, softmax) per step, \(epochs) epochs", quiet: output.quiet)
        let started = Date()
        let r = try TagDemo.run(o)
        let metrics = try TagDemo.writeReport(r, to: URL(fileURLWithPath: out), command: Console.commandLine)
        finishStructureDemo(metrics, output: output, started: started, out: out, lines: [
            String(format: "Per-step F1 %.3f (precision %.3f, recall %.3f, accuracy %.4f) vs all-normal F1 0 (accuracy %.4f), jump rule F1 %.3f",
                   r.scores.f1, r.scores.precision, r.scores.recall, r.scores.accuracy, r.allNormal.accuracy, r.jumpRule.f1),
        ])
    }
}
