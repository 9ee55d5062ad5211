import Forecast
import Recurrent

/// The training budget of the adding-problem comparison; the same for every cell.
public struct AddingBudget: Sendable, Equatable {
    public var units: Int
    public var trainSamples: Int
    public var testSamples: Int
    public var epochs: Int
    public var batchSize: Int
    /// Adam's learning rate.
    public var learningRate: Float
    /// Global gradient-norm clip (nil: none).
    public var clipNorm: Float?
    public var seed: UInt64

    public init(units: Int = 16, trainSamples: Int = 6000, testSamples: Int = 1000, epochs: Int = 10, batchSize: Int = 32,
                learningRate: Float = 0.01, clipNorm: Float? = 1, seed: UInt64 = 1) {
        self.units = units
        self.trainSamples = trainSamples
        self.testSamples = testSamples
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.clipNorm = clipNorm
        self.seed = seed
    }

    /// Checks every setting with a message naming the bad one.
    public func validate() throws {
        try requireAtLeast(units, 1, "units")
        try requireAtLeast(trainSamples, 1, "trainSamples")
        try requireAtLeast(testSamples, 1, "testSamples")
        try requireAtLeast(epochs, 1, "epochs")
        try requireAtLeast(batchSize, 1, "batchSize")
        try requirePositive(learningRate, "learningRate")
        if let c = clipNorm { try requirePositive(c, "clipNorm") }
    }
}

/// One cell trained on the adding problem with T steps.
public struct AddingRun: Sendable {
    public var cell: RecurrentKind
    public var steps: Int
    /// MSE on fresh test sequences.
    public var testMSE: Double
    /// MSE of always predicting 1 on the same test sequences (≈ 0.167).
    public var baselineMSE: Double
    /// Training loss per epoch.
    public var trainLoss: [Double]
    public var trainSeconds: Double
    /// Why training stopped (`completed`, or the divergence message).
    public var stopReason: String

    /// Test MSE below 0.01: the problem counts as solved.
    public var solved: Bool { testMSE < 0.01 }
}

/// Trains each cell on the adding problem for each T with the same budget.
public enum AddingStudy {
    /// Runs every (T, cell) pair in order.
    /// - Parameter onRun: called after each run (for progress lines).
    public static func run(cells: [RecurrentKind], steps: [Int], budget: AddingBudget, progress: ProgressStyle = .none,
                           onRun: (AddingRun) -> Void = { _ in }) throws -> [AddingRun] {
        try budget.validate()
        var runs: [AddingRun] = []
        for t in steps {
            let train = try AddingProblem.make(samples: budget.trainSamples, steps: t, seed: budget.seed &+ UInt64(t))
            let test = try AddingProblem.make(samples: budget.testSamples, steps: t, seed: budget.seed &+ 1_000_003 &+ UInt64(t))
            for cell in cells {
                let r = try runOne(cell: cell, steps: t, train: train, test: test, budget: budget, progress: progress)
                runs.append(r)
                onRun(r)
            }
        }
        return runs
    }

    /// Trains one cell on prepared data.
    public static func runOne(cell: RecurrentKind, steps: Int, train: (x: Tensor, y: Tensor), test: (x: Tensor, y: Tensor),
                              budget: AddingBudget, progress: ProgressStyle = .none) throws -> AddingRun {
        var model = cell.regressor(units: budget.units)
        try model.build(inputShape: [steps, 2], seed: budget.seed)
        var adam = Adam(learningRate: budget.learningRate)
        let options = FitOptions(epochs: budget.epochs, batchSize: budget.batchSize, shuffle: true, seed: budget.seed,
                                 clipping: budget.clipNorm.map { .globalNorm($0) }, progress: progress)
        let clock = ContinuousClock.now
        var history: History
        var stop = "completed"
        do {
            history = try model.fit(train.x, train.y, loss: .meanSquaredError, optimizer: &adam, options: options)
        } catch let d as TrainingDiverged {
            history = d.history
            stop = d.message
        }
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let mse = try model.evaluate(test.x, test.y, loss: .meanSquaredError, batchSize: 256)
        let ones = Tensor(shape: test.y.shape, repeating: 1)
        let baseline = try Loss.meanSquaredError.value(ones, test.y)
        return AddingRun(cell: cell, steps: steps, testMSE: mse, baselineMSE: baseline, trainLoss: history["loss"],
                         trainSeconds: seconds, stopReason: stop)
    }
}
