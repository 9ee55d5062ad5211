import Recurrent
/// Times training and inference of one `BenchConfiguration` the way users run them:
/// `Sequential.fit` (Adam, MSE, shuffled batches) and `Sequential.predict`.
public struct BenchRunner {
    /// Timed epochs after the warm-up epoch (the median is reported).
    public var timedEpochs = 3
    /// Batch size of the inference measurement.
    public var inferenceBatch = 512
    /// Calls of the single-window latency measurement (the median is reported).
    public var latencyCalls = 200
    /// Called with a line of progress (stderr in the CLI).
    public var log: (String) -> Void = { _ in }

    public init() {}

    /// Results of one configuration.
    public struct Result: Sendable {
        public var config: BenchConfiguration
        /// Median seconds of a training epoch over all windows.
        public var epochSeconds: Double
        public var trainSamplesPerSecond: Double
        /// Median seconds to predict all windows in batches of `inferenceBatch`.
        public var inferSeconds: Double
        public var inferSamplesPerSecond: Double
        /// Achieved training rate in the matrix products, GFLOP/s.
        public var trainGFLOPS: Double
        /// The final training loss (a sanity check that it learned something).
        public var finalLoss: Double
        /// Peak resident memory of the process after this configuration, MiB.
        public var peakMemoryMiB: Double
    }

    /// Builds the model (seed 0), trains one warm-up epoch and `timedEpochs` timed ones, then
    /// times inference over all windows.
    public func run(_ config: BenchConfiguration, data: (x: Tensor, y: Tensor)? = nil) throws -> (result: Result, model: Sequential) {
        let (x, y) = data ?? BenchData.windows(for: config)
        var model = try config.model()
        try model.build(inputShape: [config.lookback, 1], seed: 0)
        var adam = Adam(learningRate: 1e-3)
        // One fit: its first epoch is the warm-up, the others are timed (History's per-epoch seconds).
        let options = FitOptions(epochs: 1 + timedEpochs, batchSize: config.batchSize, shuffle: true, seed: 0, progress: .none)
        let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam, options: options)
        let seconds = history["seconds"], losses = history["loss"]
        for (epoch, s) in seconds.enumerated() {
            log("\(config.name): epoch \(epoch == 0 ? "warm-up" : String(epoch)) \(format(s)) s, loss \(format(losses[epoch], digits: 5))")
        }
        let times = Array(seconds.dropFirst())
        let lastLoss = losses.last ?? .nan
        let epochSeconds = BenchMachine.median(times)
        var inferTimes: [Double] = []
        for round in 0...timedEpochs {
            let seconds = try BenchMachine.time { _ = try model.predict(x, batchSize: inferenceBatch) }
            if round > 0 { inferTimes.append(seconds) }
        }
        let inferSeconds = BenchMachine.median(inferTimes)
        let n = Double(config.windows)
        let result = Result(config: config, epochSeconds: epochSeconds, trainSamplesPerSecond: n / epochSeconds,
                            inferSeconds: inferSeconds, inferSamplesPerSecond: n / inferSeconds,
                            trainGFLOPS: n * config.trainingFlopsPerSample / epochSeconds / 1e9,
                            finalLoss: lastLoss, peakMemoryMiB: BenchMachine.peakMemoryMiB)
        log("\(config.name): \(format(result.trainSamplesPerSecond, digits: 0)) samples/s training, \(format(result.inferSamplesPerSecond, digits: 0)) samples/s inference")
        return (result, model)
    }

    /// Median milliseconds of `model.predict` on one window (after 10 warm-up calls).
    public func singleWindowLatencyMilliseconds(_ model: Sequential, window: Tensor) throws -> Double {
        precondition(window.shape.first == 1, "latency is measured on one window [1, T, F]")
        for _ in 0..<10 { _ = try model.predict(window) }
        var times: [Double] = []
        times.reserveCapacity(latencyCalls)
        for _ in 0..<latencyCalls {
            times.append(try BenchMachine.time { _ = try model.predict(window) })
        }
        return BenchMachine.median(times) * 1000
    }
}

func format(_ v: Double, digits: Int = 3) -> String {
    guard v.isFinite else { return "\(v)" }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (v * p).rounded() / p
    return digits == 0 ? String(Int(r)) : String(r)
}
