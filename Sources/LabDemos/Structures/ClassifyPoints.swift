import Forecast
import Foundation
import Recurrent

/// One-to-one (Tx = Ty = 1): a Dense-only classifier of 2-D points in interleaved spirals —
/// the non-recurrent reference of the lab's §4.
public enum ClassifyPointsDemo {
    public struct Options: Sendable {
        public var run: StructureRun
        /// Points per spiral arm (class).
        public var pointsPerClass: Int = 200
        public var classes: Int = 3
        /// Standard deviation of the angular noise, radians.
        public var noise: Double = 0.25
        /// Width of the two hidden ReLU layers.
        public var hidden: Int = 32
        public var learningRate: Float = 0.01
        /// Fraction of the points held out for testing.
        public var testFraction: Double = 0.3

        public init(run: StructureRun) { self.run = run }

        /// Checks every setting, naming the bad option.
        public func validate() throws {
            try run.validate()
            try requireAtLeast(pointsPerClass, 4, "pointsPerClass")
            try requireAtLeast(classes, 2, "classes")
            try requireAtLeast(hidden, 1, "hidden")
            guard noise >= 0, noise.isFinite else { throw ParameterError("noise", mustBe: "≥ 0", got: noise) }
        }
    }

    /// Points of `classes` interleaved spiral arms: arm k at angle 2πk/K + 5r (+ noise), radius r ∈ (0, 1].
    /// - Returns: points `[N, 2]` as pairs and their labels, in class order.
    public static func spirals(pointsPerClass n: Int, classes: Int, noise: Double, seed: UInt64) -> (points: [[Double]], labels: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var points: [[Double]] = [], labels: [Int] = []
        for k in 0..<classes {
            for i in 0..<n {
                let r = 0.05 + 0.95 * Double(i) / Double(max(1, n - 1))
                let theta = 2 * Double.pi * Double(k) / Double(classes) + 5 * r + noise * Double(rng.nextNormal())
                points.append([r * sin(theta), r * cos(theta)])
                labels.append(k)
            }
        }
        return (points, labels)
    }

    public struct Result: Sendable {
        public var options: Options
        public var model: Sequential
        public var losses: [Double]
        public var trainPoints: [[Double]], trainLabels: [Int]
        public var testPoints: [[Double]], testLabels: [Int]
        public var testPredicted: [Int]
        public var train: ClassificationScores
        public var test: ClassificationScores
        public var seconds: Double

        /// Predicted class at each point of a `resolution × resolution` grid over [−1.1, 1.1]²,
        /// `grid[row][column]` with row 0 at the top (largest y).
        public func decisionGrid(resolution: Int) -> [[Int]] {
            let coords = (0..<resolution).map { -1.1 + 2.2 * (Double($0) + 0.5) / Double(resolution) }
            var x = Tensor(shape: [resolution * resolution, 2])
            for r in 0..<resolution {
                for c in 0..<resolution {
                    x.scalars[(r * resolution + c) * 2] = Float(coords[c])
                    x.scalars[(r * resolution + c) * 2 + 1] = Float(coords[resolution - 1 - r])
                }
            }
            let labels = StructureMath.argmaxRows(model.infer(x), width: options.classes)
            return (0..<resolution).map { r in Array(labels[(r * resolution)..<((r + 1) * resolution)]) }
        }
    }

    static func tensor(_ points: [[Double]]) -> Tensor {
        Tensor(shape: [points.count, 2], scalars: points.flatMap { $0.map(Float.init) })
    }

    /// Generates the spirals, splits them at random, trains Dense(h, relu) → Dense(h, relu) →
    /// Dense(K, softmax) with categorical cross-entropy and Adam, and scores the test part.
    public static func run(_ o: Options) throws -> Result {
        try o.validate()
        let data = spirals(pointsPerClass: o.pointsPerClass, classes: o.classes, noise: o.noise, seed: o.run.seed)
        var rng = SeededGenerator(seed: o.run.seed &+ 11)
        let order = StructureMath.permutation(data.labels.count, rng: &rng)
        let testCount = max(1, Int(Double(order.count) * o.testFraction))
        let testIdx = Array(order.prefix(testCount)), trainIdx = Array(order.dropFirst(testCount))
        let trainPoints = trainIdx.map { data.points[$0] }, trainLabels = trainIdx.map { data.labels[$0] }
        let testPoints = testIdx.map { data.points[$0] }, testLabels = testIdx.map { data.labels[$0] }

        var model = Sequential {
            Dense(o.hidden, activation: .relu)
            Dense(o.hidden, activation: .relu)
            Dense(o.classes, activation: .softmax)
        }
        try model.build(inputShape: [2], seed: o.run.seed)
        var adam = Adam(learningRate: o.learningRate)
        let start = Date()
        let history = try model.fit(tensor(trainPoints), StructureMath.oneHot(trainLabels, classes: o.classes),
                                    loss: .categoricalCrossEntropy(), optimizer: &adam,
                                    options: FitOptions(epochs: o.run.epochs, batchSize: 32, seed: o.run.seed, progress: o.run.progress))
        let seconds = Date().timeIntervalSince(start)
        let trainPred = StructureMath.argmaxRows(model.infer(tensor(trainPoints)), width: o.classes)
        let testPred = StructureMath.argmaxRows(model.infer(tensor(testPoints)), width: o.classes)
        return Result(options: o, model: model, losses: history["loss"], trainPoints: trainPoints, trainLabels: trainLabels,
                      testPoints: testPoints, testLabels: testLabels, testPredicted: testPred,
                      train: ClassificationScores(truth: trainLabels, predicted: trainPred, classes: o.classes),
                      test: ClassificationScores(truth: testLabels, predicted: testPred, classes: o.classes),
                      seconds: seconds)
    }

    /// The key figures (`--json`, metrics.json).
    public static func summary(_ r: Result) -> [String: Any] {
        ["demo": "classify-points", "structure": "one-to-one",
         "test_accuracy": r.test.accuracy, "train_accuracy": r.train.accuracy,
         "majority_accuracy": r.test.majorityAccuracy, "test_points": r.test.count, "train_points": r.train.count,
         "epochs": r.options.run.epochs, "seed": r.options.run.seed, "final_loss": r.losses.last ?? .nan,
         "parameters": r.model.parameterCount, "train_seconds": r.seconds,
         "model": "Dense(\(r.options.hidden), relu) → Dense(\(r.options.hidden), relu) → Dense(\(r.options.classes), softmax)"]
    }
}
