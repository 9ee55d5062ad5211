import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// The adding problem: SimpleRNN(tanh), LSTM and GRU with the same budget, for several T.
struct DemoAdding: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adding",
        abstract: "The adding problem: which cells carry a number across T steps (SimpleRNN vs LSTM vs GRU).",
        discussion: """
        Each sequence has T steps of (U(0,1) value, marker); two steps are marked, one in each \
        half, and the target is the sum of the two marked values. Predicting 1 always gives \
        MSE ≈ 0.167. Every cell (→ Dense(1)) is trained with Adam and MSE on the same data and \
        budget and scored on fresh test sequences; test MSE < 0.01 counts as solved. Writes \
        results.json, loss-curves.svg and report.html to --out.
        """
    )

    @Option(parsing: .unconditional, help: "Sequence lengths T, comma-separated (e.g. 50,100,200).")
    var steps = "50,100,200"

    @Option(help: "Cells to train, comma-separated: rnn, lstm, gru.", transform: { try CellList.parse($0) })
    var cells = CellList(RecurrentKind.allCases)

    @Option(parsing: .unconditional, help: "Hidden units of every cell.")
    var units = AddingBudget().units

    @Option(help: "Training sequences per T.")
    var trainSamples = AddingBudget().trainSamples

    @Option(help: "Test sequences per T.")
    var testSamples = AddingBudget().testSamples

    @Option(parsing: .unconditional, help: "Training epochs.")
    var epochs = AddingBudget().epochs

    @Option(help: "Batch size.")
    var batchSize = AddingBudget().batchSize

    @Option(help: "Adam learning rate.")
    var lr: Float = AddingBudget().learningRate

    @Option(help: "Clip the global gradient norm to this value (0: no clipping).")
    var clipNorm: Float = AddingBudget().clipNorm ?? 0

    @Option(help: "Seed for data, weights and shuffling.")
    var seed: UInt64 = AddingBudget().seed

    @Option(help: "Output folder. Default: rnn-output/adding, or for other settings a folder named by them (rnn-output/adding-steps50-epochs3), so runs with different settings do not overwrite each other.")
    var out: String?

    /// `rnn-output/adding` for the default settings, else the settings that differ in the name.
    var outputFolder: String {
        if let out { return out }
        let defaults = DemoAdding.defaults
        var tag: [String] = []
        if steps != defaults.steps { tag.append("steps" + steps) }
        if cells.cells != defaults.cells.cells { tag.append("cells" + cells.cells.map(\.rawValue).joined(separator: ",")) }
        if units != defaults.units { tag.append("units\(units)") }
        if trainSamples != defaults.trainSamples { tag.append("train\(trainSamples)") }
        if testSamples != defaults.testSamples { tag.append("test\(testSamples)") }
        if epochs != defaults.epochs { tag.append("epochs\(epochs)") }
        if batchSize != defaults.batchSize { tag.append("batch\(batchSize)") }
        if lr != defaults.lr { tag.append("lr\(lr)") }
        if clipNorm != defaults.clipNorm { tag.append("clip\(clipNorm)") }
        if seed != defaults.seed { tag.append("seed\(seed)") }
        return "rnn-output/adding" + tag.map { "-" + $0.replacingOccurrences(of: " ", with: "") }.joined()
    }

    private static let defaults = try! DemoAdding.parse([])

    @OptionGroup var output: OutputOptions

    func run() throws {
        let stepList = try RecurrentKind.parseSteps(steps)
        let cellList = cells.cells
        guard clipNorm >= 0, clipNorm.isFinite else { throw AddingProblemError("--clip-norm must be ≥ 0 (0: none), got \(clipNorm)") }
        let budget = AddingBudget(units: units, trainSamples: trainSamples, testSamples: testSamples, epochs: epochs, batchSize: batchSize,
                                  learningRate: lr, clipNorm: clipNorm > 0 ? clipNorm : nil, seed: seed)
        do { try budget.validate() } catch let e as ParameterError where e.parameter == "learningRate" {
            throw ValidationError(e.text(calling: "--lr"))
        }
        let dir = try OutputFolder.make(outputFolder)
        Console.log("Adding problem: cells \(cellList.map(\.rawValue).joined(separator: ",")), T = \(stepList.map(String.init).joined(separator: ",")); " + budget.summary, quiet: output.quiet)
        let clock = ContinuousClock.now
        let runs = try AddingStudy.run(cells: cellList, steps: stepList, budget: budget, progress: .none) { r in
            Console.log(String(format: "  T=%-4d ", r.steps) + r.cell.displayName.padding(toLength: 16, withPad: " ", startingAt: 0)
                        + String(format: " test MSE %.5f (baseline %.3f) in %.1f s", r.testMSE, r.baselineMSE, r.trainSeconds), quiet: output.quiet)
        }
        let elapsed = ContinuousClock.now - clock
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let object = try AddingReport.write(runs, budget: budget, wallSeconds: wall, to: dir, command: Console.commandLine)
        if output.json {
            Console.json(object)
        } else {
            Console.out(AddingReport.table(runs))
            Console.out(String(format: "Budget: %@. Wall time %.1f s. Wrote %@/{results.json, loss-curves.svg, report.html}", budget.summary, wall, dir.path))
        }
    }
}
