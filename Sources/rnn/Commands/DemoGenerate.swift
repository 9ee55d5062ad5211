import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// One-to-many: from one condition, a whole sequence by feeding outputs back.
struct DemoGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "One-to-many (Tx = 1, Ty > 1): a GRU writes a sine from (frequency, phase) and a symbol string from a class, feeding its outputs back.",
        discussion: """
        Trains two GRUs with teacher forcing (the true previous value as input): (frequency, \
        phase) → sin(2π f t + φ) with MSE, and class → string over A–D (per-class Markov \
        chains) with a softmax head. Generation feeds each output back; symbols are sampled at \
        each --temperatures value. Reports generated-vs-true MSE against predicting 0, and the \
        rule-following rate of sampled strings against the true chains and uniform random.
        """
    )

    @Option(help: "Output folder.") var out = "rnn-output/generate"
    @Option(help: "Training epochs (each of the two models).") var epochs = 60
    @Option(help: "Seed for the data, the initial weights, shuffling and sampling.") var seed: UInt64 = 42
    @Option(help: "Steps per sequence.") var length = 40
    @Option(help: "Training sequences per variant.") var sequences = 400
    @Option(help: "GRU units.") var units = 32
    @Option(help: "Comma-separated sampling temperatures.") var temperatures = "0.5,1,1.5"
    @OptionGroup var output: OutputOptions

    func run() throws {
        var o = GenerateDemo.Options(run: structureRun(seed: seed, epochs: epochs, output: output))
        o.length = length; o.sequences = sequences; o.units = units
        o.temperatures = try temperatures.split(separator: ",").map { part in
            guard let v = Double(part.trimmingCharacters(in: .whitespaces)) else {
                throw StructureDemoError("--temperatures: '\(part)' is not a number (expected e.g. 0.5,1,1.5)")
            }
            return v
        }
        try o.validate()
        let started = Date()
        let r = try GenerateDemo.run(o)
        let metrics = try GenerateDemo.writeReport(r, to: URL(fileURLWithPath: out), command: Console.commandLine)
        finishStructureDemo(metrics, output: output, started: started, out: out, lines: [
            String(format: "Waves: generated MSE %.4f (teacher-forced %.4f) vs %.4f for predicting 0", r.generatedMSE, r.teacherForcedMSE, r.zeroMSE),
            "Symbols: rule-following rate " + zip(o.temperatures, r.ruleRates).map { String(format: "τ=%g: %.3f", $0, $1) }.joined(separator: ", ")
                + String(format: " (true chains %.3f, random 0.25)", r.trueRuleRate),
        ])
    }
}
