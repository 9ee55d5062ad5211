import Forecast
import Recurrent

/// Settings of the vanishing/exploding-gradient study (`rnn gradients`).
public struct GradientStudyConfig: Sendable {
    public var cells: [RecurrentKind]
    /// T: the sequence length, so norms are measured at distances 0…T from the loss.
    public var steps: Int
    /// Spectral radius given to the SimpleRNN's recurrent matrix in the exploding experiment.
    public var recurrentScale: Double
    /// Sequences in the probe batch.
    public var probeSamples: Int
    /// The budget for "after training" (units, data, epochs, …) on the adding problem.
    public var budget: AddingBudget
    /// Epochs of the clipping experiment (SGD, with and without clipping).
    public var clippingEpochs: Int
    /// SGD learning rate of the clipping experiment.
    public var clippingLearningRate: Float
    /// Global-norm limit in the clipped run.
    public var clipNorm: Float
    /// T of the clipping experiment (a length a SimpleRNN can learn, so the two loss curves differ
    /// by clipping alone).
    public var clippingSteps: Int
    /// Initialisation schemes measured at initialisation (training always starts from `.keras`).
    public var initSchemes: [InitScheme]
    /// How many training runs ("after training") per cell, with seeds `budget.seed`,
    /// `budget.seed + 1`, …: training a SimpleRNN on the adding problem is chaotic, so the
    /// trained figures are reported as median and range over the seeds.
    public var trainingSeeds: Int = 5

    public init(cells: [RecurrentKind] = RecurrentKind.allCases, steps: Int = 100, recurrentScale: Double = 2, probeSamples: Int = 64,
                budget: AddingBudget = AddingBudget(), clippingEpochs: Int = 3, clippingLearningRate: Float = 0.1, clipNorm: Float = 1,
                clippingSteps: Int = 20, initSchemes: [InitScheme] = InitScheme.allCases) {
        self.cells = cells
        self.initSchemes = initSchemes
        self.steps = steps
        self.recurrentScale = recurrentScale
        self.probeSamples = probeSamples
        self.budget = budget
        self.clippingEpochs = clippingEpochs
        self.clippingLearningRate = clippingLearningRate
        self.clipNorm = clipNorm
        self.clippingSteps = clippingSteps
    }

    public func validate() throws {
        guard !initSchemes.isEmpty else { throw ParameterError("initSchemes", mustBe: "keras, pytorch or both", got: "none") }
        guard !cells.isEmpty else { throw ParameterError("cells", mustBe: "at least one of rnn, lstm, gru", got: "none") }
        try requireAtLeast(steps, 2, "steps")
        try requirePositive(recurrentScale, "recurrentScale")
        try requireAtLeast(probeSamples, 1, "probeSamples")
        try requireAtLeast(clippingSteps, 2, "clippingSteps")
        try requirePositive(clipNorm, "clipNorm")
        try requireAtLeast(trainingSeeds, 1, "trainingSeeds")
        try requireAtLeast(clippingEpochs, 1, "clippingEpochs")
        try budget.validate()
    }
}

/// Gradient norms and recurrent-matrix radii of one cell at one moment (init or trained).
public struct GradientSnapshot: Sendable {
    /// ‖∂L/∂h‖ by distance k from the loss, k = 0…T (T is the initial state).
    public var norms: [Double]
    /// ‖∂L/∂c‖ by distance (LSTM), else empty.
    public var cellNorms: [Double]
    /// Least-squares fit of log-norm against distance, nil when it cannot be fitted.
    public var decay: GradientDecayFit?
    /// Spectral radius of each gate block of the recurrent weight, PyTorch's gate order.
    public var blockRadii: [Double]
    /// The headline block's radius (`RecurrentKind.headlineGate`).
    public var spectralRadius: Double
}

/// One cell's study: at initialisation and after training on the adding problem.
public struct CellGradientStudy: Sendable {
    public var cell: RecurrentKind
    /// At initialisation with our (Keras-style) init, the starting point of training.
    public var initial: GradientSnapshot
    /// At initialisation under each scheme of `GradientStudyConfig.initSchemes`.
    public var initialByScheme: [InitScheme: GradientSnapshot]
    /// After training with the first seed (`budget.seed`): the run the charts show.
    public var trained: GradientSnapshot
    /// Test MSE of the trained model on the adding problem (first seed).
    public var trainedTestMSE: Double
    public var trainSeconds: Double
    /// Every training run, the first seed first.
    public var trainedRuns: [TrainedRun] = []

    /// Median and range over `trainedRuns` of a trained figure.
    public func trainedSpread(_ value: (TrainedRun) -> Double) -> Spread { Spread(trainedRuns.map(value)) }
}

/// One training run of the "after training" measurement.
public struct TrainedRun: Sendable {
    public var seed: UInt64
    public var snapshot: GradientSnapshot
    public var testMSE: Double
    public var seconds: Double

    /// ‖∂L/∂h‖ at the loss and at the initial state (k = T), the fitted per-step factor and
    /// the headline spectral radius.
    public var normAtLoss: Double { snapshot.norms.first ?? .nan }
    public var normAtStart: Double { snapshot.norms.last ?? .nan }
    public var perStep: Double { snapshot.decay?.perStep ?? .nan }
    public var radius: Double { snapshot.spectralRadius }
}

/// The median and range of a few measurements (NaNs are left out).
public struct Spread: Sendable, Equatable {
    public var median: Double
    public var min: Double
    public var max: Double
    public var count: Int

    public init(_ values: [Double]) {
        let v = values.filter { !$0.isNaN }.sorted()
        count = v.count
        guard let first = v.first, let last = v.last else { median = .nan; min = .nan; max = .nan; return }
        min = first
        max = last
        median = v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// `0.987 [0.981–0.993]` with `format` for each number (`%.3f`, `%.2e`, …).
    public func text(_ format: String) -> String {
        count <= 1 ? String(format: format, median)
            : String(format: format, median) + " [" + String(format: format, min) + "–" + String(format: format, max) + "]"
    }

    public var json: [String: Any] { ["median": median, "min": min, "max": max, "runs": count] }
}

/// A SimpleRNN training run in the clipping experiment.
public struct ClippingRun: Sendable {
    public var label: String
    public var clipNorm: Float?
    /// Training loss after every batch (ends early when training diverged).
    public var batchLoss: [Double]
    /// Global gradient norm (before clipping) of every batch.
    public var batchGradientNorm: [Double]
    /// The divergence message, nil when all epochs completed.
    public var diverged: String?
}

/// The exploding-gradient experiment: SimpleRNN with ρ(W_hh) = S.
public struct ExplodingStudy: Sendable {
    public var spectralRadius: Double
    /// ‖∂L/∂h‖ by distance at initialisation of the scaled SimpleRNN.
    public var norms: [Double]
    public var decay: GradientDecayFit?
    public var runs: [ClippingRun]
}

/// Everything `rnn gradients` measures.
public struct GradientStudyResult: Sendable {
    public var config: GradientStudyConfig
    public var cells: [CellGradientStudy]
    public var exploding: ExplodingStudy
}

/// Measures vanishing and exploding gradients on the adding problem.
public enum GradientStudy {
    public static func run(_ config: GradientStudyConfig, log: (String) -> Void = { _ in }) throws -> GradientStudyResult {
        try config.validate()
        let t = config.steps, budget = config.budget
        let probe = try AddingProblem.make(samples: config.probeSamples, steps: t, seed: budget.seed &+ 77)
        let train = try AddingProblem.make(samples: budget.trainSamples, steps: t, seed: budget.seed &+ UInt64(t))
        let test = try AddingProblem.make(samples: budget.testSamples, steps: t, seed: budget.seed &+ 1_000_003 &+ UInt64(t))
        var cells: [CellGradientStudy] = []
        for cell in config.cells {
            var model = cell.regressor(units: budget.units)
            try model.build(inputShape: [t, 2], seed: budget.seed)
            let initial = try snapshot(model, cell: cell, probe: probe)
            var byScheme: [InitScheme: GradientSnapshot] = [:]
            for scheme in config.initSchemes {
                let m = PyTorchInit.model(model, scheme: scheme, hiddenSize: budget.units, seed: budget.seed)
                byScheme[scheme] = scheme == .keras ? initial : try snapshot(m, cell: cell, probe: probe)
            }
            var runs: [TrainedRun] = []
            for k in 0..<config.trainingSeeds {
                var b = budget
                b.seed = budget.seed &+ UInt64(k)
                log("\(cell.displayName): training on the adding problem (T = \(t)), seed \(b.seed) (\(k + 1) of \(config.trainingSeeds))…")
                var start = model
                if k > 0 {
                    start = cell.regressor(units: budget.units)
                    try start.build(inputShape: [t, 2], seed: b.seed)
                }
                let (trainedModel, mse, seconds) = try trainAdding(start, train: train, test: test, budget: b)
                runs.append(TrainedRun(seed: b.seed, snapshot: try snapshot(trainedModel, cell: cell, probe: probe), testMSE: mse, seconds: seconds))
            }
            cells.append(CellGradientStudy(cell: cell, initial: initial, initialByScheme: byScheme, trained: runs[0].snapshot,
                                           trainedTestMSE: runs[0].testMSE, trainSeconds: runs[0].seconds, trainedRuns: runs))
        }
        log("SimpleRNN with ρ(W_hh) = \(config.recurrentScale): training with and without clipping…")
        let exploding = try explode(config, probe: probe)
        return GradientStudyResult(config: config, cells: cells, exploding: exploding)
    }

    /// Norms and radii of a built `cell → Dense(1)` model on the probe batch.
    public static func snapshot(_ model: Sequential, cell: RecurrentKind, probe: (x: Tensor, y: Tensor)) throws -> GradientSnapshot {
        let layer = try model.gradientNorms(probe.x, probe.y, loss: .meanSquaredError)[0]
        let norms = layer.hiddenByDistance.map(Double.init)
        let weight = model.layers[0].parameters[1].value
        let radii = SpectralRadius.ofGateBlocks(weight)
        return GradientSnapshot(norms: norms, cellNorms: layer.cellByDistance.map(Double.init),
                                decay: GradientDecayFit.fit(norms: norms), blockRadii: radii, spectralRadius: radii[cell.headlineGate])
    }

    static func trainAdding(_ start: Sequential, train: (x: Tensor, y: Tensor), test: (x: Tensor, y: Tensor),
                            budget: AddingBudget) throws -> (Sequential, Double, Double) {
        var model = start
        var adam = Adam(learningRate: budget.learningRate)
        let options = FitOptions(epochs: budget.epochs, batchSize: budget.batchSize, seed: budget.seed,
                                 clipping: budget.clipNorm.map { .globalNorm($0) }, progress: .none)
        let clock = ContinuousClock.now
        do { try model.fit(train.x, train.y, loss: .meanSquaredError, optimizer: &adam, options: options) } catch is TrainingDiverged {}
        let d = ContinuousClock.now - clock
        let mse = try model.evaluate(test.x, test.y, loss: .meanSquaredError, batchSize: 256)
        return (model, mse, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    /// SimpleRNN with its recurrent matrix rescaled to spectral radius S, trained by SGD
    /// with and without clipping by global norm.
    static func explode(_ config: GradientStudyConfig, probe: (x: Tensor, y: Tensor)) throws -> ExplodingStudy {
        var model = RecurrentKind.rnn.regressor(units: config.budget.units)
        try model.build(inputShape: [config.steps, 2], seed: config.budget.seed)
        let train = try AddingProblem.make(samples: config.budget.trainSamples, steps: config.clippingSteps, seed: config.budget.seed &+ 55)
        var w = model.layers[0].parameters[1].value
        let rho = SpectralRadius.of(w)
        for i in w.scalars.indices { w.scalars[i] *= Float(config.recurrentScale / rho) }
        try model.setParameter("layers.0.weight_hh_l0", to: w)
        let snap = try snapshot(model, cell: .rnn, probe: probe)
        var runs: [ClippingRun] = []
        for clip in [nil, config.clipNorm] as [Float?] {
            var m = model
            var sgd = SGD(learningRate: config.clippingLearningRate)
            let recorder = BatchRecorder()
            let options = FitOptions(epochs: config.clippingEpochs, batchSize: config.budget.batchSize, seed: config.budget.seed,
                                     clipping: clip.map { .globalNorm($0) }, progress: .none)
            var diverged: String?
            do { try m.fit(train.x, train.y, loss: .meanSquaredError, optimizer: &sgd, options: options, callbacks: [recorder]) } catch let d as TrainingDiverged {
                diverged = d.message
            }
            runs.append(ClippingRun(label: clip.map { "clip global norm \($0)" } ?? "no clipping", clipNorm: clip,
                                    batchLoss: recorder.losses, batchGradientNorm: recorder.norms, diverged: diverged))
        }
        return ExplodingStudy(spectralRadius: snap.spectralRadius, norms: snap.norms, decay: snap.decay, runs: runs)
    }
}

/// Records every batch's loss and gradient norm.
final class BatchRecorder: TrainingCallback {
    var losses: [Double] = []
    var norms: [Double] = []
    func onBatchEnd(_ context: BatchContext, stop: inout Bool) throws {
        losses.append(context.loss)
        norms.append(context.gradientNorm)
    }
}
