import Forecast
import Foundation
import Recurrent

/// Many-to-many with Tx = Ty: a label for every time step. A GRU reads a smooth noisy signal
/// and a per-step Dense head marks each step as normal or a spike (an injected anomaly).
public enum TagDemo {
    public struct Options: Sendable {
        public var run: StructureRun
        public var trainCount: Int = 600
        public var testCount: Int = 200
        public var length: Int = 80
        /// Probability that a step carries a spike.
        public var spikeRate: Double = 0.04
        public var units: Int = 24
        public var learningRate: Float = 0.01

        public init(run: StructureRun) { self.run = run }

        /// Checks every setting, naming the bad option.
        public func validate() throws {
            try run.validate()
            try requireAtLeast(trainCount, 4, "trainCount")
            try requireAtLeast(testCount, 4, "testCount")
            try requireAtLeast(length, 4, "length")
            try requireAtLeast(units, 1, "units")
            guard spikeRate > 0, spikeRate < 0.5 else { throw ParameterError("spikeRate", mustBe: "in (0, 0.5)", got: spikeRate) }
        }
    }

    /// Signals `[N, T, 1]` and per-step labels (1 = spike) `[N][T]`.
    public struct Signals: Sendable {
        public var x: Tensor
        public var labels: [[Int]]
        public func values(_ i: Int) -> [Double] { let t = x.shape[1]; return (0..<t).map { Double(x.scalars[i * t + $0]) } }
    }

    /// Two sines (periods 15–40 steps, amplitudes 0.3–0.8) plus noise σ = 0.1; each step gets
    /// a spike of ±(0.8…1.6) with probability `spikeRate`.
    public static func signals(count n: Int, length t: Int, spikeRate: Double, seed: UInt64) -> Signals {
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [n, t, 1])
        var labels: [[Int]] = []
        for i in 0..<n {
            let p1 = 15 + 25 * Double(rng.nextUniform()), p2 = 15 + 25 * Double(rng.nextUniform())
            let a1 = 0.3 + 0.5 * Double(rng.nextUniform()), a2 = 0.3 + 0.5 * Double(rng.nextUniform())
            let f1 = 2 * .pi * Double(rng.nextUniform()), f2 = 2 * .pi * Double(rng.nextUniform())
            var row: [Int] = []
            for s in 0..<t {
                var v = a1 * sin(2 * .pi * Double(s) / p1 + f1) + a2 * sin(2 * .pi * Double(s) / p2 + f2) + 0.1 * Double(rng.nextNormal())
                let spike = Double(rng.nextUniform()) < spikeRate
                if spike { v += (rng.nextUniform() < 0.5 ? -1 : 1) * (0.8 + 0.8 * Double(rng.nextUniform())) }
                x.scalars[i * t + s] = Float(v)
                row.append(spike ? 1 : 0)
            }
            labels.append(row)
        }
        return Signals(x: x, labels: labels)
    }

    /// Per-step binary scores of the spike class.
    public struct StepScores: Sendable, Equatable {
        public var accuracy: Double, precision: Double, recall: Double, f1: Double
        public init(truth: [[Int]], predicted: [[Int]]) {
            let s = ClassificationScores(truth: truth.flatMap { $0 }, predicted: predicted.flatMap { $0 }, classes: 2)
            let p = s.precisionRecallF1(1)
            accuracy = s.accuracy; precision = p.precision; recall = p.recall; f1 = p.f1
        }
    }

    public struct Result: Sendable {
        public var options: Options
        public var model: Sequential
        public var losses: [Double]
        public var test: Signals
        public var predicted: [[Int]]
        public var scores: StepScores
        /// Predicting "normal" at every step.
        public var allNormal: StepScores
        /// Flagging |x_t − x_{t−1}| > threshold, the threshold picked for F1 on the training signals.
        public var jumpRule: StepScores
        public var jumpThreshold: Double
        public var seconds: Double
    }

    static func jumpFlags(_ s: Signals, threshold: Double) -> [[Int]] {
        (0..<s.labels.count).map { i in
            let v = s.values(i)
            return v.indices.map { k in k > 0 && abs(v[k] - v[k - 1]) > threshold ? 1 : 0 }
        }
    }

    public static func run(_ o: Options) throws -> Result {
        try o.validate()
        let train = signals(count: o.trainCount, length: o.length, spikeRate: o.spikeRate, seed: o.run.seed)
        let test = signals(count: o.testCount, length: o.length, spikeRate: o.spikeRate, seed: o.run.seed &+ 1000)
        var y = Tensor(shape: [o.trainCount, o.length, 2])
        for i in 0..<o.trainCount { for s in 0..<o.length { y.scalars[(i * o.length + s) * 2 + train.labels[i][s]] = 1 } }
        var model = Sequential { GRU(o.units, returnSequences: true); Dense(2, activation: .softmax) }
        try model.build(inputShape: [o.length, 1], seed: o.run.seed)
        var adam = Adam(learningRate: o.learningRate)
        let start = Date()
        let history = try model.fit(train.x, y, loss: .categoricalCrossEntropy(), optimizer: &adam,
                                    options: FitOptions(epochs: o.run.epochs, batchSize: 32, seed: o.run.seed,
                                                        clipping: .globalNorm(1), progress: o.run.progress))
        let seconds = Date().timeIntervalSince(start)
        let flat = StructureMath.argmaxRows(model.infer(test.x), width: 2)
        let predicted = (0..<o.testCount).map { Array(flat[($0 * o.length)..<(($0 + 1) * o.length)]) }
        let thresholds = stride(from: 0.2, through: 2.0, by: 0.05).map { $0 }
        let best = thresholds.max { a, b in
            StepScores(truth: train.labels, predicted: jumpFlags(train, threshold: a)).f1
                < StepScores(truth: train.labels, predicted: jumpFlags(train, threshold: b)).f1
        }!
        return Result(options: o, model: model, losses: history["loss"], test: test, predicted: predicted,
                      scores: StepScores(truth: test.labels, predicted: predicted),
                      allNormal: StepScores(truth: test.labels, predicted: test.labels.map { $0.map { _ in 0 } }),
                      jumpRule: StepScores(truth: test.labels, predicted: jumpFlags(test, threshold: best)),
                      jumpThreshold: best, seconds: seconds)
    }

    static func scoresObject(_ s: StepScores) -> [String: Any] {
        ["accuracy": s.accuracy, "precision": s.precision, "recall": s.recall, "f1": s.f1]
    }

    public static func summary(_ r: Result) -> [String: Any] {
        ["demo": "tag", "structure": "many-to-many (Tx = Ty)",
         "model": scoresObject(r.scores), "all_normal": scoresObject(r.allNormal), "jump_rule": scoresObject(r.jumpRule),
         "jump_threshold": r.jumpThreshold, "test_accuracy": r.scores.accuracy, "test_f1": r.scores.f1,
         "baseline_accuracy": r.allNormal.accuracy, "baseline_f1": r.allNormal.f1,
         "spike_share": Double(r.test.labels.flatMap { $0 }.reduce(0, +)) / Double(r.options.testCount * r.options.length),
         "epochs": r.options.run.epochs, "seed": r.options.run.seed, "final_loss": r.losses.last ?? .nan,
         "parameters": r.model.parameterCount, "train_seconds": r.seconds]
    }
}
