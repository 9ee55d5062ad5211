import Forecast
import Foundation
import Recurrent

/// Many-to-one (Tx > 1, Ty = 1): a GRU reads a noisy waveform of random length and a softmax
/// head names its shape — sine, square, sawtooth or noise.
///
/// Sequences are right-padded to the longest length and trained with their `lengths`
/// (`Sequential.fit(_:_:sequences:…)`): the recurrent layer leaves its state unchanged on
/// padded steps, so its last output is the state at each sequence's own end.
public enum ClassifySequencesDemo {
    public static let classNames = ["sine", "square", "sawtooth", "noise"]

    public struct Options: Sendable {
        public var run: StructureRun
        public var trainCount: Int = 800
        public var testCount: Int = 400
        public var minLength: Int = 20
        public var maxLength: Int = 60
        /// Standard deviation of the Gaussian noise added to every waveform.
        public var noise: Double = 0.3
        public var units: Int = 32
        public var learningRate: Float = 0.005
        public var batchSize: Int = 32

        public init(run: StructureRun) { self.run = run }

        /// Checks every setting, naming the bad option.
        public func validate() throws {
            try run.validate()
            try requireAtLeast(trainCount, 4, "trainCount")
            try requireAtLeast(testCount, 4, "testCount")
            try requireAtLeast(minLength, 2, "minLength")
            try requireAtLeast(maxLength, minLength, "maxLength")
            try requireAtLeast(units, 1, "units")
            try requireAtLeast(batchSize, 1, "batchSize")
            guard noise >= 0, noise.isFinite else { throw ParameterError("noise", mustBe: "≥ 0", got: noise) }
            try requirePositive(learningRate, "learningRate")
        }
    }

    /// Labelled waveforms, padded: `x [N, maxLength, 1]`, the valid `lengths` and the labels.
    public struct Waveforms: Sendable {
        public var x: Tensor
        public var lengths: [Int]
        public var labels: [Int]
        /// The unpadded values of sequence `i`.
        public func values(_ i: Int) -> [Double] {
            let t = x.shape[1]
            return (0..<lengths[i]).map { Double(x.scalars[i * t + $0]) }
        }
    }

    /// Balanced classes in turn; period 6–20 steps, random phase, amplitude 0.5–1.5, noise σ.
    /// The noise class is Gaussian with the amplitude's standard deviation.
    public static func waveforms(count n: Int, minLength: Int, maxLength: Int, noise: Double, seed: UInt64) -> Waveforms {
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [n, maxLength, 1])
        var lengths: [Int] = [], labels: [Int] = []
        for i in 0..<n {
            let label = i % classNames.count
            let length = rng.nextInt(minLength...maxLength)
            let period = 6 + 14 * Double(rng.nextUniform())
            let phase = Double(rng.nextUniform())
            let amplitude = 0.5 + Double(rng.nextUniform())
            for s in 0..<length {
                let cycle = (Double(s) / period + phase).truncatingRemainder(dividingBy: 1)
                let clean: Double
                switch label {
                case 0: clean = sin(2 * .pi * cycle)
                case 1: clean = cycle < 0.5 ? 1 : -1
                case 2: clean = 2 * cycle - 1
                default: clean = Double(rng.nextNormal())
                }
                x.scalars[i * maxLength + s] = Float(amplitude * clean + noise * Double(rng.nextNormal()))
            }
            lengths.append(length); labels.append(label)
        }
        return Waveforms(x: x, lengths: lengths, labels: labels)
    }

    public struct Result: Sendable {
        public var options: Options
        public var model: Sequential
        public var losses: [Double]
        public var test: Waveforms
        public var predicted: [Int]
        public var scores: ClassificationScores
        public var trainAccuracy: Double
        public var seconds: Double
    }

    /// Class probabilities `[N, K]` for padded sequences and their lengths.
    public static func predict(_ model: Sequential, _ x: Tensor, lengths: [Int]) -> Tensor {
        model.infer(x, lengths: lengths)
    }

    public static func run(_ o: Options) throws -> Result {
        try o.validate()
        let train = waveforms(count: o.trainCount, minLength: o.minLength, maxLength: o.maxLength, noise: o.noise, seed: o.run.seed)
        let test = waveforms(count: o.testCount, minLength: o.minLength, maxLength: o.maxLength, noise: o.noise, seed: o.run.seed &+ 1000)
        let k = classNames.count
        var model = Sequential { GRU(o.units); Dense(k, activation: .softmax) }
        try model.build(inputShape: [o.maxLength, 1], seed: o.run.seed)
        let y = StructureMath.oneHot(train.labels, classes: k)
        var adam = Adam(learningRate: o.learningRate)
        let start = Date()
        let history = try model.fit(train.x, y, sequences: SequenceOptions(lengths: train.lengths), loss: .categoricalCrossEntropy(),
                                    optimizer: &adam, options: FitOptions(epochs: o.run.epochs, batchSize: o.batchSize, seed: o.run.seed,
                                                                          clipping: .globalNorm(1), progress: o.run.progress))
        let losses = history["loss"]
        let seconds = Date().timeIntervalSince(start)
        let predicted = StructureMath.argmaxRows(predict(model, test.x, lengths: test.lengths), width: k)
        let trainPredicted = StructureMath.argmaxRows(predict(model, train.x, lengths: train.lengths), width: k)
        let trainScores = ClassificationScores(truth: train.labels, predicted: trainPredicted, classes: k)
        return Result(options: o, model: model, losses: losses, test: test, predicted: predicted,
                      scores: ClassificationScores(truth: test.labels, predicted: predicted, classes: k),
                      trainAccuracy: trainScores.accuracy, seconds: seconds)
    }

    /// Test accuracy of sequences whose length falls in each of four equal length buckets.
    public static func accuracyByLength(_ r: Result) -> [(label: String, accuracy: Double, count: Int)] {
        var out: [(String, Double, Int)] = []
        var lo = r.options.minLength
        while lo <= r.options.maxLength {
            let width = max(1, (r.options.maxLength - r.options.minLength + 4) / 4)
            let hi = min(r.options.maxLength, lo + width - 1)
            let idx = r.test.lengths.indices.filter { r.test.lengths[$0] >= lo && r.test.lengths[$0] <= hi }
            if !idx.isEmpty {
                let right = idx.filter { r.predicted[$0] == r.test.labels[$0] }.count
                out.append(("\(lo)–\(hi)", Double(right) / Double(idx.count), idx.count))
            }
            lo = hi + 1
        }
        return out
    }

    public static func summary(_ r: Result) -> [String: Any] {
        var perClass: [String: Any] = [:]
        for (c, name) in classNames.enumerated() {
            let s = r.scores.precisionRecallF1(c)
            perClass[name] = ["precision": s.precision, "recall": s.recall, "f1": s.f1]
        }
        return ["demo": "classify-sequences", "structure": "many-to-one",
                "test_accuracy": r.scores.accuracy, "train_accuracy": r.trainAccuracy,
                "majority_accuracy": r.scores.majorityAccuracy, "confusion": r.scores.confusion,
                "per_class": perClass, "test_sequences": r.scores.count, "train_sequences": r.options.trainCount,
                "lengths": [r.options.minLength, r.options.maxLength], "padding": "right-padded with lengths (masked steps keep the state)",
                "epochs": r.options.run.epochs, "seed": r.options.run.seed, "final_loss": r.losses.last ?? .nan,
                "parameters": r.model.parameterCount, "train_seconds": r.seconds]
    }
}
