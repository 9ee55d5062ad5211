import Foundation
import Recurrent

/// Runs a forecasting experiment: prepare, train, evaluate against baselines, forecast.
///
/// ```swift
/// var setup = ExperimentSetup(target: "USD", lookback: 60, model: "lstm:50:seq,dropout:0.2,lstm:50,dense:1")
/// setup.epochs = 20
/// let result = try Experiment.run(series: usd, setup: setup)
/// print(result.method("model")!.metrics.rmse, result.method("persistence")!.metrics.rmse)
/// ```
public enum Experiment {
    /// Trains a new model and evaluates it.
    /// - Parameters:
    ///   - forecastSteps: future steps to forecast from the end of the series (0 for none).
    ///   - progress: how `fit` reports progress.
    ///   - checkpoint: where to save the model after every epoch (and at the end).
    ///   - callbacks: more training callbacks.
    public static func run(series: TimeSeries, setup: ExperimentSetup, forecastSteps: Int = 0,
                           progress: ProgressStyle = .auto, checkpoint: URL? = nil,
                           callbacks: [any TrainingCallback] = []) throws -> ExperimentResult {
        let data = try PreparedData(series: series, setup: try setup.resolvingAutomaticTransform(series))
        return try run(data: data, forecastSteps: forecastSteps, progress: progress, checkpoint: checkpoint, callbacks: callbacks)
    }

    /// Trains on prepared data and evaluates on its test part.
    static func run(data: PreparedData, forecastSteps: Int, progress: ProgressStyle, checkpoint: URL?,
                    callbacks: [any TrainingCallback]) throws -> ExperimentResult {
        try checkForecastSteps(forecastSteps)
        let setup = data.setup
        let members = setup.ensemble ?? 1
        guard members > 1 else {
            return try runMember(data: data, seed: setup.seed, forecastSteps: forecastSteps, progress: progress, checkpoint: checkpoint, callbacks: callbacks)
        }
        let start = Date()
        var trained: [Sequential] = []
        var history = History()
        for k in 0..<members {
            let r = try runMember(data: data, seed: setup.seed &+ UInt64(k), forecastSteps: 0, progress: progress, checkpoint: nil, callbacks: callbacks)
            trained.append(r.model)
            if k == 0 { history = r.history }
        }
        let model = try ensemble(trained, inputShape: Array(data.trainingWindows.inputs.shape.dropFirst()), seed: setup.seed)
        if let checkpoint { try ForecastModelFile.save(model, setup: setup, scalings: data.scalings, to: checkpoint) }
        return try evaluate(model: model, data: data, history: history, trainSeconds: Date().timeIntervalSince(start), forecastSteps: forecastSteps)
    }

    /// Trains one model (one ensemble member) with `seed` and evaluates it.
    private static func runMember(data: PreparedData, seed: UInt64, forecastSteps: Int, progress: ProgressStyle, checkpoint: URL?,
                                  callbacks: [any TrainingCallback]) throws -> ExperimentResult {
        var setup = data.setup
        setup.seed = seed
        var model = try ModelSpec.model(setup.model)
        let inputShape = Array(data.trainingWindows.inputs.shape.dropFirst())
        try model.build(inputShape: inputShape, seed: setup.seed)
        let expectedWidth = setup.direct ? setup.horizon : 1
        guard model.outputShape == [expectedWidth] else {
            throw ExperimentError.invalidSetup("the model outputs \(model.outputShape ?? []) per window; \(setup.direct ? "a direct forecast of \(setup.horizon) steps" : "a one-step model") needs [\(expectedWidth)]: end the spec with dense:\(expectedWidth)")
        }
        try fitAutoregression(&model, windows: data.trainingWindows)
        let startingPoint = model
        var validation: Validation = .none
        if let v = data.validationWindows { validation = .data(v.inputs, v.targets) }
        else if setup.validationSplit > 0 { validation = .split(setup.validationSplit) }
        var options = FitOptions(epochs: setup.epochs, batchSize: setup.batchSize, seed: setup.seed, validation: validation,
                                 clipping: setup.clipNorm.map { .globalNorm($0) }, l2: setup.l2, progress: progress)
        if let p = setup.earlyStoppingPatience {
            options.earlyStopping = EarlyStopping(monitor: .valLoss, patience: p, restoreBestWeights: true)
        }
        let loss = setup.loss.loss
        let start = Date()
        var allCallbacks = callbacks
        if let checkpoint { allCallbacks.append(CheckpointCallback(url: checkpoint, setup: setup, scalings: data.scalings)) }
        let history = try train(&model, data.trainingWindows.inputs, data.trainingWindows.targets, loss: loss, setup: setup, options: options, callbacks: allCallbacks)
        if let v = data.validationWindows, hasAutoregression(model), setup.earlyStoppingPatience != nil,
           try validationLoss(startingPoint, v, loss) <= validationLoss(model, v, loss) {
            model = startingPoint  // training never improved on the least-squares AR start
        }
        if let checkpoint { try ForecastModelFile.save(model, setup: setup, scalings: data.scalings, to: checkpoint) }
        let seconds = Date().timeIntervalSince(start)
        return try evaluate(model: model, data: data, history: history, trainSeconds: seconds, forecastSteps: forecastSteps)
    }

    /// Evaluates an already trained model on new data prepared with its stored scalings.
    public static func evaluate(model: Sequential, series: TimeSeries, setup: ExperimentSetup, scalings: [AffineScaling],
                                forecastSteps: Int = 0) throws -> ExperimentResult {
        let data = try PreparedData(series: series, setup: setup, fitted: scalings)
        guard let shape = model.inputShape, shape.last == data.windows.inputs.shape[2] else {
            throw ExperimentError.incompatibleModel("the model takes \(model.inputShape?.last ?? 0) input features; the data gives \(data.windows.inputs.shape[2])")
        }
        return try evaluate(model: model, data: data, history: History(), trainSeconds: 0, forecastSteps: forecastSteps)
    }

    /// Evaluates a trained model on prepared data.
    static func evaluate(model: Sequential, data: PreparedData) throws -> ExperimentResult {
        try evaluate(model: model, data: data, history: History(), trainSeconds: 0, forecastSteps: 0)
    }

    static func train(_ model: inout Sequential, _ x: Tensor, _ y: Tensor, loss: Loss, setup: ExperimentSetup,
                              options: FitOptions, callbacks: [any TrainingCallback]) throws -> History {
        switch setup.optimizer {
        case .sgd:
            var o = SGD(learningRate: setup.learningRate)
            return try model.fit(x, y, loss: loss, optimizer: &o, options: options, callbacks: callbacks)
        case .rmsprop:
            var o = RMSprop(learningRate: setup.learningRate)
            return try model.fit(x, y, loss: loss, optimizer: &o, options: options, callbacks: callbacks)
        case .adamw:
            var o = AdamW(learningRate: setup.learningRate)
            return try model.fit(x, y, loss: loss, optimizer: &o, options: options, callbacks: callbacks)
        case .adam:
            var o = Adam(learningRate: setup.learningRate)
            return try model.fit(x, y, loss: loss, optimizer: &o, options: options, callbacks: callbacks)
        }
    }

    static func evaluate(model: Sequential, data: PreparedData, history: History, trainSeconds: Double,
                                 forecastSteps: Int) throws -> ExperimentResult {
        let setup = data.setup
        let test = Array(data.testIndices)
        let testWindows = data.windows.subset(test)
        let forecaster = ModelForecaster(model: model, setup: setup)
        let scaledPaths = try forecaster.predictPaths(inputs: testWindows.inputs, firstTargetTimes: testWindows.targetTimes.map { $0.first }, steps: setup.horizon)
        let modelPaths = zip(test, scaledPaths).map { data.levels(fromScaled: $1, window: $0) }
        let actual = test.map { data.actualLevels($0) }
        let trainingLevels = Array(data.levels[0...data.lastTrainingRow]).filter { !$0.isNaN }
        let period = setup.seasonalPeriod
        func metrics(_ paths: [[Double]]) -> ForecastMetrics {
            ForecastMetrics(actual: actual.flatMap { $0 }, predicted: paths.flatMap { $0 }, training: trainingLevels, seasonality: period)
        }
        var methods = [MethodForecast(name: "model", paths: modelPaths, metrics: metrics(modelPaths))]
        let histories = test.map { data.levelHistory($0) }
        let h = setup.horizon
        func add(_ name: String, _ paths: [[Double]]) { methods.append(MethodForecast(name: name, paths: paths, metrics: metrics(paths))) }
        add("persistence", histories.map { Baselines.persistence($0, horizon: h) })
        if period > 1, period <= setup.lookback {
            add("seasonal_naive", histories.map { Baselines.seasonalNaive($0, horizon: h, period: period) })
        }
        add("moving_average", histories.map { Baselines.movingAverage($0, horizon: h, k: min(setup.movingAverageWindow, setup.lookback)) })
        let trainIdx = Array(data.trainIndices)
        if let ar = try? LinearAutoregression(inputs: trainIdx.map { data.levelHistory($0) }, targets: trainIdx.map { data.actualLevels($0) }) {
            add("linear_ar", histories.map { ar.predict($0) })
        }
        if let ar = try? DifferencedAutoregression(histories: trainIdx.map { data.levelHistory($0) }, targets: trainIdx.map { data.actualLevels($0) }) {
            add("ar_diff", histories.map { ar.predict($0) })
        }
        if let ets = HoltWinters.fit(Array(data.levels[0...data.lastTrainingRow]), period: period) {
            let states = ets.filter(data.levels)
            add("ets", test.map { ets.forecast(from: data.windows.lastInputRows[$0], horizon: h, states: states) })
        }
        if let arx = data.linearARX() { add("linear_arx", test.map { arx.predict(data.arxInputs($0)) }) }

        var future: FutureForecast?
        if forecastSteps > 0 { future = try forecastFuture(model: model, data: data, steps: forecastSteps) }
        let summary = DataSummary(
            rows: data.series.count,
            first: data.series.timestamps.first.map { ExperimentFiles.stamp($0, setup) } ?? "",
            last: data.series.timestamps.last.map { ExperimentFiles.stamp($0, setup) } ?? "",
            missingTargetValues: data.levels.filter { $0.isNaN }.count,
            windows: data.windows.count, trainWindows: data.trainingWindows.count,
            validationWindows: data.validationWindows?.count ?? 0, testWindows: test.count,
            inputFeatures: data.windows.featureNames, covariates: data.covariates.notes)
        let intervals = try ForecastIntervals.calibrate(forecaster: forecaster, data: data, testPaths: modelPaths, actual: actual, future: future)
        return ExperimentResult(setup: setup, model: model, history: history, trainSeconds: trainSeconds,
                                testRows: testWindows.targetRows, testTimes: testWindows.targetTimes, actual: actual,
                                methods: methods, future: future, data: summary, scalings: data.scalings, intervals: intervals)
    }

    /// Forecasts `steps` values after the last row from the last `lookback` rows.
    /// The most steps a forecast beyond the data may have.
    public static let maxForecastSteps = 1_000_000

    static func checkForecastSteps(_ steps: Int) throws {
        guard (0...maxForecastSteps).contains(steps) else {
            throw ExperimentError.invalidSetup("forecast steps must be between 0 and \(maxForecastSteps), got \(steps)")
        }
    }

    static func forecastFuture(model: Sequential, data: PreparedData, steps: Int) throws -> FutureForecast {
        try checkForecastSteps(steps)
        let setup = data.setup
        let l = setup.lookback, n = data.series.count
        guard n >= l + 1 else { throw ExperimentError.notEnoughData("the series is shorter than the lookback") }
        if setup.onLinearARX == true {
            throw ExperimentError.setting(.noFutureForecastOnLinearARX)
        }
        if let future = setup.futureFeatures, !future.isEmpty {
            throw ExperimentError.setting(.futureValuesMissing(features: future))
        }
        let working = data.inputSeries
        let columns = [setup.target] + setup.modelFeatures
        let calendar = setup.calendarFeatures
        let f = columns.count + calendar.names.count
        var x = Tensor(shape: [1, l, f])
        for (s, row) in ((n - l)..<n).enumerated() {
            for (c, name) in columns.enumerated() {
                let v = working[name][row]
                guard !v.isNaN else {
                    throw ExperimentError.notEnoughData("the last \(l) rows must be complete to forecast; \(name) is missing at \(data.series.timestamps[row])")
                }
                x[0, s, c] = Float(data.scalings[c].transform(v))
            }
            for (k, v) in calendar.values(at: data.series.timestamps[row]).enumerated() { x[0, s, columns.count + k] = Float(v) }
        }
        let frequency = setup.frequency
        var times: [LocalDateTime?] = []
        var t: LocalDateTime? = data.series.timestamps.last
        for _ in 0..<steps {
            t = t.flatMap { frequency?.next(after: $0) }
            times.append(t)
        }
        let forecaster = ModelForecaster(model: model, setup: setup)
        let path = try forecaster.predictPaths(inputs: x, firstTargetTimes: [times.first ?? nil], steps: steps)[0]
        let transformed = path.map { data.scalings[0].inverse($0) }
        guard let lastLevel = data.levels.last, !lastLevel.isNaN else { throw ExperimentError.notEnoughData("the last target value is missing") }
        let values = setup.targetTransform.invertPath(transformed, lastLevel: lastLevel)
        return FutureForecast(times: Array(times.prefix(values.count)), rows: (0..<values.count).map { n + $0 }, values: values)
    }
}
