import Recurrent
import Foundation

/// The scaling sweep of `rnn bench --sweep`: seconds per training epoch of LSTM → Dense(1)
/// while one of sequence length, hidden size or batch size varies and the others stay at
/// the base values. An epoch here is a fixed number of batches, so the work grows in
/// proportion to T and B (and about H²): the fitted lines show whether the time does too.
public struct BenchSweep {
    public enum Axis: String, Sendable, CaseIterable { case length, hidden, batch }

    /// One measured point.
    public struct Point: Sendable, Equatable {
        public var axis: Axis
        public var value: Int
        public var lookback: Int, units: Int, batchSize: Int, batches: Int
        /// Median seconds per epoch of `batches` batches.
        public var epochSeconds: Double
        public var samplesPerSecond: Double { Double(batchSize * batches) / epochSeconds }
    }

    /// A least-squares line `seconds = intercept + slope · value`, its R², and the exponent
    /// `k` of the log–log fit `seconds ∝ value^k` (1 = linear growth).
    public struct Fit: Sendable, Equatable {
        public var axis: Axis
        public var slope: Double, intercept: Double, rSquared: Double, exponent: Double
    }

    public var baseLookback = 48, baseUnits = 64, baseBatch = 64
    public var batchesPerEpoch = 16
    public var lengths = [12, 24, 48, 96, 192]
    public var hiddenSizes = [16, 32, 64, 128, 256]
    public var batchSizes = [16, 32, 64, 128, 256]
    public var timedEpochs = 3
    public var log: (String) -> Void = { _ in }

    public init() {}

    public func values(_ axis: Axis) -> [Int] {
        switch axis {
        case .length: return lengths
        case .hidden: return hiddenSizes
        case .batch: return batchSizes
        }
    }

    /// Measures every point of `axes`.
    public func run(axes: [Axis] = Axis.allCases) throws -> [Point] {
        var points: [Point] = []
        for axis in axes {
            for v in values(axis) {
                let t = axis == .length ? v : baseLookback, h = axis == .hidden ? v : baseUnits, b = axis == .batch ? v : baseBatch
                let seconds = try epochSeconds(lookback: t, units: h, batchSize: b)
                points.append(Point(axis: axis, value: v, lookback: t, units: h, batchSize: b, batches: batchesPerEpoch, epochSeconds: seconds))
                log("sweep \(axis.rawValue)=\(v): \(format(seconds * 1000, digits: 1)) ms/epoch")
            }
        }
        return points
    }

    func epochSeconds(lookback: Int, units: Int, batchSize: Int) throws -> Double {
        let (x, y) = BenchData.windows(count: batchSize * batchesPerEpoch, lookback: lookback, seed: 7)
        var model = try ModelSpec.model("lstm:\(units),dense:1")
        try model.build(inputShape: [lookback, 1], seed: 0)
        var adam = Adam(learningRate: 1e-3)
        let options = FitOptions(epochs: 1 + timedEpochs, batchSize: batchSize, shuffle: true, seed: 0, progress: .none)
        let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam, options: options)
        return BenchMachine.median(Array(history["seconds"].dropFirst()))  // the first epoch warms up
    }

    /// One fitted line per axis present in `points`.
    public static func fits(_ points: [Point]) -> [Fit] {
        Axis.allCases.compactMap { axis -> Fit? in
            let p = points.filter { $0.axis == axis }
            guard p.count >= 2 else { return nil }
            let line = leastSquares(p.map { Double($0.value) }, p.map(\.epochSeconds))
            let logLine = leastSquares(p.map { Foundation.log(Double($0.value)) }, p.map { Foundation.log(max($0.epochSeconds, 1e-12)) })
            return Fit(axis: axis, slope: line.slope, intercept: line.intercept, rSquared: line.rSquared, exponent: logLine.slope)
        }
    }

    /// Ordinary least squares of y on x (r² is 1 when all y are equal: a flat line fits them exactly).
    public static func leastSquares(_ x: [Double], _ y: [Double]) -> (slope: Double, intercept: Double, rSquared: Double) {
        guard let line = LineFit(x: x, y: y) else { preconditionFailure("a line needs two points") }
        return (line.slope, line.intercept, line.rSquared.isNaN ? 1 : line.rSquared)
    }

    /// `axis,value,lookback,units,batch_size,batches,epoch_seconds,samples_per_s` rows.
    public static func csv(_ points: [Point]) -> String {
        var s = "axis,value,lookback,units,batch_size,batches,epoch_seconds,samples_per_s\n"
        for p in points {
            s += "\(p.axis.rawValue),\(p.value),\(p.lookback),\(p.units),\(p.batchSize),\(p.batches),\(p.epochSeconds),\(p.samplesPerSecond)\n"
        }
        return s
    }
}

