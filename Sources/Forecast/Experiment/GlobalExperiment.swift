import Foundation
import Recurrent

/// One model for several series (a "global" model, as NeuralForecast and Darts train them).
///
/// Each series is prepared on its own — its own windows, split and scaler fitted on its own
/// training rows — so the network sees every series in the same scaled units. The training
/// (and validation) windows of all series are pooled and shuffled together; the model is then
/// evaluated on each series' test part against that series' baselines, in its original units.
///
/// ```swift
/// let result = try GlobalExperiment.run(series: stations, columns: ["A", "B", "C"], setup: setup)
/// print(result.overall["model"]!.meanMASE, result.overall["linear_ar"]!.meanMASE)
/// ```
public enum GlobalExperiment {
    /// Trains one model on `columns` of `series` and evaluates it per series.
    /// - Parameter setup: the shared set-up; its `target` is replaced by each column in turn.
    public static func run(series: TimeSeries, columns: [String], setup: ExperimentSetup, forecastSteps: Int = 0,
                           progress: ProgressStyle = .auto) throws -> GlobalResult {
        guard columns.count >= 2 else { throw ExperimentError.invalidSetup("a global model needs at least two series, got \(columns.count)") }
        guard Set(columns).count == columns.count else { throw ExperimentError.invalidSetup("a series is named twice in \(columns)") }
        guard setup.features.isEmpty, (setup.futureFeatures ?? []).isEmpty else {
            throw ExperimentError.setting(.globalModelTakesNoCovariates)
        }
        let prepared = try columns.map { name -> PreparedData in
            guard series.column(name) != nil else {
                throw ExperimentError.invalidSetup("the data has no column '\(name)' (columns: \(series.names.joined(separator: ", ")))")
            }
            var s = setup
            s.target = name
            do {
                return try PreparedData(series: series.selecting([name]), setup: s)
            } catch let e as ExperimentError {
                throw ExperimentError.notEnoughData("series \(name): \(e)")
            }
        }
        let training = pooled(prepared.map(\.trainingWindows))
        let validationParts = prepared.compactMap(\.validationWindows)
        let validation = validationParts.isEmpty ? nil : pooled(validationParts)

        var model = try ModelSpec.model(setup.model)
        try model.build(inputShape: Array(training.inputs.shape.dropFirst()), seed: setup.seed)
        let width = setup.direct ? setup.horizon : 1
        guard model.outputShape == [width] else {
            throw ExperimentError.invalidSetup("the model outputs \(model.outputShape ?? []) per window; end the spec with dense:\(width)")
        }
        try Experiment.fitAutoregression(&model, windows: training)  // an AR highway starts at the pooled least-squares AR
        var options = FitOptions(epochs: setup.epochs, batchSize: setup.batchSize, seed: setup.seed,
                                 validation: validation.map { .data($0.inputs, $0.targets) } ?? (setup.validationSplit > 0 ? .split(setup.validationSplit) : .none),
                                 clipping: setup.clipNorm.map { .globalNorm($0) }, l2: setup.l2, progress: progress)
        if let p = setup.earlyStoppingPatience {
            options.earlyStopping = EarlyStopping(monitor: .valLoss, patience: p, restoreBestWeights: true)
        }
        let start = Date()
        let history = try Experiment.train(&model, training.inputs, training.targets, loss: setup.loss.loss, setup: setup,
                                           options: options, callbacks: [])
        let seconds = Date().timeIntervalSince(start)
        let results = try prepared.map {
            try Experiment.evaluate(model: model, data: $0, history: history, trainSeconds: seconds, forecastSteps: forecastSteps)
        }
        return GlobalResult(columns: columns, results: results, trainSeconds: seconds, trainingWindows: training.count)
    }

    /// The windows of several series, one after the other.
    static func pooled(_ parts: [Windows]) -> Windows {
        func stack(_ tensors: [Tensor]) -> Tensor {
            var shape = tensors[0].shape
            shape[0] = tensors.map { $0.shape[0] }.reduce(0, +)
            return Tensor(shape: shape, scalars: tensors.flatMap(\.scalars))
        }
        return Windows(inputs: stack(parts.map(\.inputs)), targets: stack(parts.map(\.targets)), featureNames: parts[0].featureNames,
                       targetRows: parts.flatMap(\.targetRows), targetTimes: parts.flatMap(\.targetTimes),
                       lastInputRows: parts.flatMap(\.lastInputRows))
    }
}

/// A global model's results: one `ExperimentResult` per series (same model) and the
/// methods' accuracy over all series.
public struct GlobalResult: Sendable {
    public var columns: [String]
    /// Per series, in `columns` order; each holds the shared model and its own baselines.
    public var results: [ExperimentResult]
    public var trainSeconds: Double
    /// Pooled training windows of all series.
    public var trainingWindows: Int

    /// One method's accuracy over every series.
    public struct Overall: Sendable, Equatable {
        /// RMSE and MAE of all test values pooled (mixes units when the series' scales differ).
        public var rmse: Double
        public var mae: Double
        /// Mean over the series of each series' MASE (scale-free).
        public var meanMASE: Double
        /// Geometric mean over the series of RMSE / that series' linear_ar RMSE.
        public var rmseRelativeToLinearAR: Double
        /// Series where this method has the lowest test RMSE of all methods.
        public var wins: Int
    }

    /// Methods present for every series, with their pooled figures.
    public var overall: [String: Overall] {
        guard let first = results.first else { return [:] }
        var out: [String: Overall] = [:]
        let names = first.methods.map(\.name).filter { n in results.allSatisfy { $0.method(n) != nil } }
        for name in names {
            var actual: [Double] = [], predicted: [Double] = []
            var mase = 0.0, logRatio = 0.0, ratios = 0, wins = 0
            for r in results {
                let m = r.method(name)!
                actual += r.actual.flatMap { $0 }
                predicted += m.paths.flatMap { $0 }
                mase += m.metrics.mase
                if let ar = r.method("linear_ar"), ar.metrics.rmse > 0 { logRatio += log(m.metrics.rmse / ar.metrics.rmse); ratios += 1 }
                if r.methods.min(by: { $0.metrics.rmse < $1.metrics.rmse })?.name == name { wins += 1 }
            }
            let pooled = ForecastMetrics(actual: actual, predicted: predicted)
            out[name] = Overall(rmse: pooled.rmse, mae: pooled.mae, meanMASE: mase / Double(results.count),
                                rmseRelativeToLinearAR: ratios == results.count ? exp(logRatio / Double(ratios)) : .nan, wins: wins)
        }
        return out
    }

    /// Interval coverage over every series' test values, one per level.
    public var overallIntervals: [IntervalMetrics] {
        guard let levels = results.first?.intervals?.conformal.levels, results.allSatisfy({ $0.intervals != nil }) else { return [] }
        return levels.indices.map { l in
            IntervalMetrics(level: levels[l], actual: results.flatMap { $0.actual.flatMap { $0 } },
                            lower: results.flatMap { $0.intervals!.test[l].lower.flatMap { $0 } },
                            upper: results.flatMap { $0.intervals!.test[l].upper.flatMap { $0 } })
        }
    }
}
