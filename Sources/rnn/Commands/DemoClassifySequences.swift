import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// Many-to-one: classify noisy waveforms of random lengths.
struct DemoClassifySequences: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify-sequences",
        abstract: "Many-to-one (Tx > 1, Ty = 1): a GRU names noisy waveforms (sine, square, sawtooth, noise) of random lengths; accuracy and confusion matrix.",
        discussion: """
        Generates balanced, seeded waveforms of random length, right-pads them and trains \
        GRU → Dense(4, softmax) with categorical cross-entropy, passing each sequence's length \
        to the GRU (its state stops at the sequence's end). Reports accuracy against the \
        majority class, per-class precision/recall/F1, a confusion matrix and accuracy by length.
        """
    )

    @Option(help: "Output folder.") var out = "rnn-output/classify-sequences"
    @Option(help: "Training epochs.") var epochs = 30
    @Option(help: "Seed for the data, the initial weights and shuffling.") var seed: UInt64 = 42
    @Option(help: "Training sequences.") var train = 800
    @Option(help: "Test sequences.") var test = 400
    @Option(help: "Shortest sequence.") var minLength = 20
    @Option(help: "Longest sequence (the padded length).") var maxLength = 60
    @Option(help: "Noise standard deviation.") var noise = 0.3
    @Option(help: "GRU units.") var units = 32
    @Option(help: "Adam learning rate.") var learningRate: Float = 0.005
    @OptionGroup var output: OutputOptions

    func run() throws {
        var o = ClassifySequencesDemo.Options(run: structureRun(seed: seed, epochs: epochs, output: output))
        o.trainCount = train; o.testCount = test; o.minLength = minLength; o.maxLength = maxLength
        o.noise = noise; o.units = units; o.learningRate = learningRate
        try o.validate()
        Console.log("classify-sequences: \(train) sequences of \(minLength)–\(maxLength) steps, GRU(\(units)) → Dense(4, softmax), \(epochs) epochs", quiet: output.quiet)
        let started = Date()
        let r = try ClassifySequencesDemo.run(o)
        let metrics = try ClassifySequencesDemo.writeReport(r, to: URL(fileURLWithPath: out), command: Console.commandLine)
        finishStructureDemo(metrics, output: output, started: started, out: out, lines: [
            String(format: "Test accuracy %.3f (majority class %.3f), train accuracy %.3f, %d test sequences",
                   r.scores.accuracy, r.scores.majorityAccuracy, r.trainAccuracy, r.scores.count),
        ])
    }
}
