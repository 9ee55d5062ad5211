import Foundation
import Recurrent

/// Rolling-origin evaluation (as Darts' `historical_forecasts`): the forecast origin moves
/// through the later part of the series in folds of `foldSize` windows; before each fold the
/// model is trained (`refit`) on the windows whose targets all precede the fold, either all of
/// them (`expanding`) or only the last `trainWindows` (`sliding`). Without refit the model is
/// trained once, before the first fold, and only moves forward in time. Baselines are
/// evaluated on the same windows in every fold.
public struct BacktestOptions: Codable, Equatable, Sendable {
    public enum Window: String, Codable, Sendable { case expanding, sliding }
    /// Fraction of the windows before the first forecast origin.
    public var start: Double = 0.6
    /// Number of folds the rest is cut into (the last may be shorter)…
    public var folds: Int = 5
    /// …or, when set, the windows per fold (the refit interval k) instead.
    public var foldSize: Int?
    public var window: Window = .expanding
    /// Training windows of a sliding window; nil: as many as the first fold has.
    public var trainWindows: Int?
    /// Train a new model before every fold (true) or once before the first (false).
    public var refit: Bool = true

    public init() {}

    func validate() throws {
        guard start > 0, start < 1 else { throw ExperimentError.invalidSetup("backtest start must be a fraction between 0 and 1, got \(start)") }
        guard folds >= 1 else { throw ExperimentError.invalidSetup("backtest needs at least 1 fold, got \(folds)") }
        if let k = foldSize, k < 1 { throw ExperimentError.invalidSetup("fold size must be at least 1, got \(k)") }
        if let w = trainWindows, w < 2 { throw ExperimentError.invalidSetup("a sliding window needs at least 2 training windows, got \(w)") }
    }
}

/// One fold: where it trained and tested and how every method did.
public struct BacktestFold: Sendable {
    public var index: Int
    /// Window indices (of all evaluation windows) used for training and testing.
    public var trainWindows: Range<Int>
    public var testWindows: Range<Int>
    /// First target time of the first and last test window (nil for plain steps).
    public var firstTime: LocalDateTime?
    public var lastTime: LocalDateTime?
    /// First target row of each test window.
    public var firstRow: Int
    public var trained: Bool
    public var epochsRun: Int
    public var trainSeconds: Double
    /// Every method's forecasts and metrics on this fold.
    public var result: ExperimentResult

    public func metrics(_ name: String) -> ForecastMetrics? { result.method(name)?.metrics }
}

/// A method's errors over all folds.
public struct BacktestSummary: Sendable {
    public var name: String
    /// Metrics of all test windows together.
    public var pooled: ForecastMetrics
    /// Mean of the folds' RMSE.
    public var meanFoldRMSE: Double
    /// Folds in which this method has a lower RMSE than persistence.
    public var foldsBeatingPersistence: Int
}

/// Everything a backtest produced.
public struct BacktestResult: Sendable {
    public var setup: ExperimentSetup
    public var options: BacktestOptions
    public var folds: [BacktestFold]
    /// The model first, then the baselines.
    public var summary: [BacktestSummary]
    public var seconds: Double

    public func summary(_ name: String) -> BacktestSummary? { summary.first { $0.name == name } }
}

public enum Backtest {
    /// Runs the folds. `log` receives one line per fold (for progress on stderr).
    public static func run(series: TimeSeries, setup given: ExperimentSetup, options: BacktestOptions,
                           progress: ProgressStyle = .none, log: (String) -> Void = { _ in }) throws -> BacktestResult {
        try given.validate()
        let setup = try given.resolvingAutomaticTransform(series)  // decided once, on the first training part
        try options.validate()
        let begin = Date()
        guard series.column(setup.target) != nil else {
            throw ExperimentError.invalidSetup("the data has no column '\(setup.target)' (columns: \(series.names.joined(separator: ", ")))")
        }
        var working = series
        working.setColumn(setup.target, try setup.targetTransform.forward(series[setup.target]))
        let all = try PreparedData.allWindows(working, setup: setup)
        let ranges = try foldRanges(all, options: options)
        var folds: [BacktestFold] = []
        var trained: (model: Sequential, scalings: [AffineScaling])?
        var slidingLength = options.trainWindows
        for (k, test) in ranges.enumerated() {
            let firstTarget = all.targetRows[test.lowerBound][0]
            let trainEnd = all.targetRows.firstIndex { $0.last! >= firstTarget } ?? test.lowerBound
            var trainStart = 0
            if options.window == .sliding {
                if slidingLength == nil { slidingLength = trainEnd }  // as many as the first fold has
                trainStart = max(0, trainEnd - slidingLength!)
            }
            guard trainEnd - trainStart >= 2 else {
                throw ExperimentError.setting(.tooFewTrainingWindows(fold: k + 1, windows: trainEnd - trainStart))
            }
            let split = ChronologicalSplit(train: trainStart..<trainEnd, validation: trainEnd..<trainEnd, test: test)
            let result: ExperimentResult
            let fits = options.refit || trained == nil
            if fits {
                let data = try PreparedData(series: series, setup: setup, fitted: nil, split: split)
                result = try Experiment.run(data: data, forecastSteps: 0, progress: progress, checkpoint: nil, callbacks: [])
                trained = (result.model, result.scalings)
            } else {
                let data = try PreparedData(series: series, setup: setup, fitted: trained!.scalings, split: split)
                result = try Experiment.evaluate(model: trained!.model, data: data)
            }
            let fold = BacktestFold(index: k, trainWindows: trainStart..<trainEnd, testWindows: test,
                                    firstTime: setup.frequency == nil ? nil : all.targetTimes[test.lowerBound][0],
                                    lastTime: setup.frequency == nil ? nil : all.targetTimes[test.upperBound - 1][0],
                                    firstRow: firstTarget, trained: fits, epochsRun: result.history.epochsRun,
                                    trainSeconds: result.trainSeconds, result: result)
            folds.append(fold)
            let m = result.method("model")!.metrics.rmse, p = result.method("persistence")!.metrics.rmse
            log(String(format: "fold %d/%d: %d train, %d test windows%@ — RMSE model %.4g, persistence %.4g",
                       k + 1, ranges.count, trainEnd - trainStart, test.count, fits ? " (trained)" : "", m, p))
        }
        return BacktestResult(setup: setup, options: options, folds: folds, summary: summarize(folds, series: series, setup: setup),
                              seconds: Date().timeIntervalSince(begin))
    }

    /// The test window ranges of the folds.
    static func foldRanges(_ all: Windows, options: BacktestOptions) throws -> [Range<Int>] {
        let n = all.count
        let first = Int(Double(n) * options.start)
        guard first >= 2, first < n else {
            throw ExperimentError.notEnoughData("\(n) windows: a backtest starting at \(Int(options.start * 100))% leaves no training or no test windows")
        }
        let size = options.foldSize ?? Int((Double(n - first) / Double(options.folds)).rounded(.up))
        return stride(from: first, to: n, by: max(1, size)).map { $0..<min(n, $0 + size) }
    }

    static func summarize(_ folds: [BacktestFold], series: TimeSeries, setup: ExperimentSetup) -> [BacktestSummary] {
        guard let first = folds.first else { return [] }
        let names = first.result.methods.map(\.name).filter { n in folds.allSatisfy { $0.result.method(n) != nil } }
        let levels = series[setup.target]
        let trainingEnd = first.result.testRows.first?.first ?? 0
        let training = Array(levels[0..<trainingEnd]).filter { !$0.isNaN }
        let actual = folds.flatMap { $0.result.actual.flatMap { $0 } }
        return names.map { name in
            let predicted = folds.flatMap { $0.result.method(name)!.paths.flatMap { $0 } }
            let rmses = folds.map { $0.metrics(name)!.rmse }
            let beats = folds.filter { $0.metrics(name)!.rmse < $0.metrics("persistence")!.rmse }.count
            return BacktestSummary(name: name,
                                   pooled: ForecastMetrics(actual: actual, predicted: predicted, training: training, seasonality: setup.seasonalPeriod),
                                   meanFoldRMSE: rmses.reduce(0, +) / Double(rmses.count), foldsBeatingPersistence: beats)
        }
    }
}
