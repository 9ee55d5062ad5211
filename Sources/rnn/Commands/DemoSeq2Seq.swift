import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// Many-to-many, Tx ≠ Ty: an encoder–decoder against recursive and direct forecasts.
struct DemoSeq2Seq: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Many-to-many (Tx ≠ Ty): an LSTM encoder–decoder reads 60 steps and writes 30, against recursive and direct LSTM forecasts; RMSE per step.",
        discussion: """
        Uses the NBP USD/PLN rates 2021–2024 from --data (default ../shared/data/nbp); when \
        that folder is absent it says so and uses a generated series. Trains a one-step LSTM \
        used recursively, an LSTM with a Dense(horizon) head, and the encoder–decoder (teacher \
        forcing, then feeding back its own predictions), and reports RMSE at every step ahead \
        on the same test windows, with persistence as the trivial baseline.
        """
    )

    @Option(help: "Output folder.") var out = "rnn-output/seq2seq"
    @Option(help: "Training epochs (each model).") var epochs = 30
    @Option(help: "Seed for the weights, shuffling and the generated series.") var seed: UInt64 = 42
    @Option(help: "Folder of NBP archiwum_tab_a_*.csv files.") var data = "../shared/data/nbp"
    @Flag(help: "Use the generated series even when --data exists.") var generated = false
    @Option(help: "Steps read.") var lookback = 60
    @Option(help: "Steps written.") var horizon = 30
    @Option(help: "LSTM units of every model.") var units = 32
    @Option(help: "Adam learning rate.") var learningRate: Float = 0.003
    @OptionGroup var output: OutputOptions

    func run() throws {
        var o = Seq2SeqDemo.Options(run: structureRun(seed: seed, epochs: epochs, output: output))
        o.dataPath = generated ? nil : data
        o.lookback = lookback; o.horizon = horizon; o.units = units; o.learningRate = learningRate
        try o.validate()
        if !generated && !FileManager.default.fileExists(atPath: data) {
            Console.log("note: \(data) not found; using a generated series instead", quiet: output.quiet)
        }
        let started = Date()
        let r = try Seq2SeqDemo.run(o)
        let metrics = try Seq2SeqDemo.writeReport(r, to: URL(fileURLWithPath: out), command: Console.commandLine)
        var lines = [generated ? r.source.replacingOccurrences(of: "(no data path)", with: "(--generated)") : r.source, "Test RMSE over \(horizon) steps (\(r.testWindows) windows):"]
        for m in r.methods {
            lines.append("  " + (Seq2SeqDemo.displayNames[m.name] ?? m.name).padding(toLength: 32, withPad: " ", startingAt: 0)
                         + String(format: "%.4f   (step 1 %.4f, step %d %.4f)", m.rmse, m.rmsePerStep[0], horizon, m.rmsePerStep[horizon - 1]))
        }
        finishStructureDemo(metrics, output: output, started: started, out: out, lines: lines)
    }
}
