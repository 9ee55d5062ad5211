import Forecast
import Foundation
import Recurrent

/// Many-to-many with Tx ≠ Ty: an encoder–decoder reads `lookback` steps and writes `horizon`,
/// compared on the same test windows with a one-step LSTM used recursively and an LSTM with a
/// direct `Dense(horizon)` head (both through `Experiment.run`), and with persistence.
public enum Seq2SeqDemo {
    public struct Options: Sendable {
        public var run: StructureRun
        /// Folder of NBP table-A archives; nil or absent → a generated series.
        public var dataPath: String? = "../shared/data/nbp"
        public var currency = "USD"
        public var years: ClosedRange<Int> = 2021...2024
        public var lookback = 60
        public var horizon = 30
        public var units = 32
        public var learningRate: Float = 0.003
        public var batchSize = 32
        /// Length of the generated series used when there is no data.
        public var generatedLength = 1000

        public init(run: StructureRun) { self.run = run }

        /// Checks every setting, naming the bad option.
        public func validate() throws {
            try run.validate()
            try requireAtLeast(lookback, 2, "lookback")
            try requireAtLeast(horizon, 2, "horizon")
            try requireAtLeast(units, 1, "units")
            try requireAtLeast(batchSize, 1, "batchSize")
            try requireAtLeast(generatedLength, lookback + horizon + 10, "generatedLength")
            try requirePositive(learningRate, "learningRate")
        }
    }

    /// A seeded series with two cycles (periods 40 and 13 steps), a slow drift and noise.
    public static func generatedSeries(count n: Int, seed: UInt64) -> TimeSeries {
        var rng = SeededGenerator(seed: seed)
        var drift = 0.0
        let values = (0..<n).map { t -> Double in
            drift += 0.02 * Double(rng.nextNormal())
            return 4 + sin(2 * .pi * Double(t) / 40) + 0.5 * sin(2 * .pi * Double(t) / 13) + drift + 0.1 * Double(rng.nextNormal())
        }
        let start = LocalDateTime(year: 2000, month: 1, day: 1)
        return TimeSeries(timestamps: (0..<n).map { start.adding(days: $0) }, name: "value", values: values)
    }

    /// The series to use: the NBP rates when `dataPath` holds the archives, else generated.
    /// - Returns: the series, its target column, unit, and a sentence saying where it came from.
    public static func series(_ o: Options) throws -> (series: TimeSeries, target: String, unit: String, source: String) {
        if let path = o.dataPath, FileManager.default.fileExists(atPath: path) {
            let s = try NBPReader.read(pattern: path, currencies: [o.currency], years: o.years)
            return (s, o.currency, "PLN", "NBP table A, \(o.currency)/PLN daily average rate \(o.years.lowerBound)–\(o.years.upperBound) (\(s.count) business days) from \(path)")
        }
        let s = generatedSeries(count: o.generatedLength, seed: o.run.seed)
        let why = o.dataPath.map { "\($0) is absent, so" } ?? "As asked (no data path),"
        return (s, "value", "", "\(why) a generated series is used: \(o.generatedLength) steps of sin(2πt/40) + 0.5·sin(2πt/13) + a random-walk drift + noise σ 0.1 (seeded)")
    }

    /// One method's forecasts on the test windows, in original units.
    public struct MethodPaths: Sendable {
        public var name: String
        public var paths: [[Double]]
        /// RMSE at each horizon step over the test windows.
        public var rmsePerStep: [Double]
        public var rmse: Double, mae: Double
        init(name: String, paths: [[Double]], actual: [[Double]]) {
            self.name = name; self.paths = paths
            let h = actual.first?.count ?? 0
            rmsePerStep = (0..<h).map { k in
                (zip(paths, actual).map { ($0[k] - $1[k]) * ($0[k] - $1[k]) }.reduce(0, +) / Double(max(1, actual.count))).squareRoot()
            }
            let errors = zip(paths.flatMap { $0 }, actual.flatMap { $0 }).map { $0 - $1 }
            rmse = (errors.map { $0 * $0 }.reduce(0, +) / Double(max(1, errors.count))).squareRoot()
            mae = errors.map(abs).reduce(0, +) / Double(max(1, errors.count))
        }
    }

    public struct Result: Sendable {
        public var options: Options
        public var source: String
        public var unit: String
        public var series: TimeSeries
        public var target: String
        /// `encoder_decoder`, `direct`, `recursive`, `persistence`.
        public var methods: [MethodPaths]
        public var actual: [[Double]]
        /// Level history (lookback values) of each test window.
        public var histories: [[Double]]
        public var encoderDecoderLosses: [Double], directLosses: [Double], recursiveLosses: [Double]
        public var trainWindows: Int, testWindows: Int
        public var seconds: [String: Double]

        public func method(_ name: String) -> MethodPaths? { methods.first { $0.name == name } }
    }

    public static func run(_ o: Options) throws -> Result {
        try o.validate()
        let (series, target, unit, source) = try series(o)
        o.run.log?(source)
        var setup = ExperimentSetup(target: target, lookback: o.lookback, model: "lstm:\(o.units),dense:1")
        setup.unit = unit
        setup.horizon = o.horizon
        setup.epochs = o.run.epochs
        setup.batchSize = o.batchSize
        setup.learningRate = o.learningRate
        setup.clipNorm = 1
        setup.seed = o.run.seed
        var seconds: [String: Double] = [:]

        o.run.log?("recursive: LSTM(\(o.units)) → Dense(1), one step ahead, fed back \(o.horizon) times")
        var clock = Date()
        let recursive = try Experiment.run(series: series, setup: setup, progress: o.run.progress)
        seconds["recursive"] = Date().timeIntervalSince(clock)
        var directSetup = setup
        directSetup.direct = true
        directSetup.model = "lstm:\(o.units),dense:\(o.horizon)"
        o.run.log?("direct: LSTM(\(o.units)) → Dense(\(o.horizon))")
        clock = Date()
        let direct = try Experiment.run(series: series, setup: directSetup, progress: o.run.progress)
        seconds["direct"] = Date().timeIntervalSince(clock)

        // The encoder–decoder on the same windows, split and scaling as the direct model.
        let data = try PreparedData(series: series, setup: directSetup)
        let train = data.trainingWindows
        let n = train.inputs.shape[0]
        let y = train.targets.reshaped([n, o.horizon, 1])
        var model = EncoderDecoder(units: o.units, outputSize: 1)
        try model.build(inputFeatures: train.inputs.shape[2], seed: o.run.seed)
        var adam = Adam(learningRate: o.learningRate)
        o.run.log?("encoder–decoder: LSTM(\(o.units)) encoder → state → LSTM(\(o.units)) decoder → Dense(1) per step, teacher forcing")
        clock = Date()
        let losses = try model.fit(train.inputs, y, loss: .meanSquaredError, optimizer: &adam,
                                   options: FitOptions(epochs: o.run.epochs, batchSize: o.batchSize, seed: o.run.seed,
                                                       clipping: .globalNorm(1), progress: o.run.progress))["loss"]
        let test = Array(data.testIndices)
        let scaled = try model.predict(data.windows.subset(test).inputs, steps: o.horizon)
        let edPaths = test.enumerated().map { i, w in
            data.levels(fromScaled: (0..<o.horizon).map { Double(scaled.scalars[i * o.horizon + $0]) }, window: w)
        }
        seconds["encoder_decoder"] = Date().timeIntervalSince(clock)
        let actual = test.map { data.actualLevels($0) }
        guard actual == direct.actual, actual == recursive.actual else {
            throw StructureDemoError("internal: the three methods were evaluated on different test windows")
        }
        let methods = [
            MethodPaths(name: "encoder_decoder", paths: edPaths, actual: actual),
            MethodPaths(name: "direct", paths: direct.method("model")!.paths, actual: actual),
            MethodPaths(name: "recursive", paths: recursive.method("model")!.paths, actual: actual),
            MethodPaths(name: "persistence", paths: direct.method("persistence")!.paths, actual: actual),
        ]
        return Result(options: o, source: source, unit: unit, series: series, target: target, methods: methods,
                      actual: actual, histories: test.map { data.levelHistory($0) }, encoderDecoderLosses: losses,
                      directLosses: direct.history["loss"], recursiveLosses: recursive.history["loss"],
                      trainWindows: n, testWindows: test.count, seconds: seconds)
    }

    public static let displayNames = ["encoder_decoder": "encoder–decoder", "direct": "direct (Dense(H) head)",
                                      "recursive": "recursive (one-step, fed back)", "persistence": "persistence"]

    public static func summary(_ r: Result) -> [String: Any] {
        var methods: [String: Any] = [:]
        for m in r.methods { methods[m.name] = ["rmse": m.rmse, "mae": m.mae, "rmse_per_step": m.rmsePerStep] }
        return ["demo": "seq2seq", "structure": "many-to-many (Tx ≠ Ty)", "source": r.source, "unit": r.unit,
                "lookback": r.options.lookback, "horizon": r.options.horizon, "methods": methods,
                "encoder_decoder_rmse": r.method("encoder_decoder")!.rmse, "persistence_rmse": r.method("persistence")!.rmse,
                "train_windows": r.trainWindows, "test_windows": r.testWindows, "epochs": r.options.run.epochs,
                "seed": r.options.run.seed, "train_seconds": r.seconds]
    }
}
