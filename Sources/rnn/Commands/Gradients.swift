import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn gradients`: vanishing and exploding gradients, measured.
struct Gradients: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ‖∂L/∂h‖ at every distance from the loss for SimpleRNN, LSTM and GRU (the lab's §4–5).",
        discussion: """
        On a batch of adding-problem sequences of T steps, one backward pass records the norm of \
        the gradient reaching the hidden state k steps before the loss, for k = 0…T, at \
        initialisation and after training on the adding problem (--training-seeds runs per \
        cell, reported as median and range: training a SimpleRNN here is chaotic). Reports the per-step factor of \
        a least-squares fit of log-norm against k and the spectral radius of each gate block of \
        the recurrent matrix. A second experiment rescales a SimpleRNN's recurrent matrix to \
        spectral radius --recurrent-scale and trains it with SGD with and without clipping the \
        gradient norm. --init chooses the initialisation(s) measured at initialisation: keras \
        (orthogonal recurrent kernel, LSTM forget bias 1), pytorch (every weight and bias \
        U(−1/√H, 1/√H)) or both; training always starts from the keras init. Writes \
        gradients.json, norms.svg, norms-pytorch-init.svg (with pytorch), exploding-norms.svg, \
        clipping.svg and report.html to --out.
        """
    )

    @Option(help: "Cells, comma-separated: rnn, lstm, gru.", transform: { try CellList.parse($0) })
    var cells = CellList(RecurrentKind.allCases)

    @Option(parsing: .unconditional, help: "Hidden units of every cell.")
    var units = AddingBudget().units

    @Option(parsing: .unconditional, help: "Sequence length T.")
    var steps = 100

    @Option(parsing: .unconditional, help: "Spectral radius given to the SimpleRNN's recurrent matrix in the exploding-gradient experiment.")
    var recurrentScale = 2.0

    @Option(parsing: .unconditional, help: "Sequences in the batch whose gradient norms are measured.")
    var probeSamples = 64

    @Option(parsing: .unconditional, help: "Training epochs for the 'after training' measurement.")
    var epochs = AddingBudget().epochs

    @Option(help: "Training sequences.")
    var trainSamples = AddingBudget().trainSamples

    @Option(help: "Epochs of the clipping experiment.")
    var clippingEpochs = 3

    @Option(help: "Sequence length T of the clipping experiment.")
    var clippingSteps = 20

    @Option(help: "Global gradient-norm limit of the clipped run.")
    var clipNorm: Float = 1

    @Option(help: "SGD learning rate of the clipping experiment.")
    var clippingLr: Float = 0.1

    @Option(help: "Initialisation measured at initialisation: keras, pytorch or both.")
    var `init` = "both"

    @Option(help: "Seed for data and weights.")
    var seed: UInt64 = AddingBudget().seed

    @Option(help: "Training runs per cell for the 'after training' figures (seeds --seed, --seed + 1, …), reported as median and range.")
    var trainingSeeds = 5

    @Option(help: "Output folder.")
    var out = "rnn-output/gradients"

    @OptionGroup var output: OutputOptions

    func run() throws {
        let cellList = cells.cells
        let schemes = try InitScheme.parse(`init`)
        guard steps >= 2 else { throw AddingProblemError("--steps must be at least 2, got \(steps)") }
        var budget = AddingBudget()
        budget.units = units
        budget.epochs = epochs
        budget.trainSamples = trainSamples
        budget.seed = seed
        guard clippingLr > 0, clippingLr.isFinite else { throw AddingProblemError("--clipping-lr must be positive, got \(clippingLr)") }
        var config = GradientStudyConfig(cells: cellList, steps: steps, recurrentScale: recurrentScale, probeSamples: probeSamples, budget: budget,
                                         clippingEpochs: clippingEpochs, clippingLearningRate: clippingLr, clipNorm: clipNorm,
                                         clippingSteps: clippingSteps, initSchemes: schemes)
        config.trainingSeeds = trainingSeeds
        try config.validate()
        let dir = try OutputFolder.make(out)
        let result = try GradientStudy.run(config) { Console.log($0, quiet: output.quiet) }
        let object = try GradientReport.write(result, to: dir, command: Console.commandLine)
        if output.json {
            Console.json(object)
        } else {
            Console.out(GradientReport.text(result))
            let pytorchChart = schemes.contains(.pytorch) ? " norms-pytorch-init.svg," : ""
            Console.out("Wrote \(dir.path)/{gradients.json, norms.svg,\(pytorchChart) exploding-norms.svg, clipping.svg, report.html}")
        }
    }
}
