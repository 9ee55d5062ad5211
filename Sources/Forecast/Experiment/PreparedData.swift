import Charts
import Recurrent

/// Windows cut from a series, split in time order and scaled, with what is needed to turn
/// model outputs back into levels in the original units.
public struct PreparedData: Sendable {
    public let setup: ExperimentSetup
    /// The series as read (levels in original units).
    public let series: TimeSeries
    /// Target levels, original units (NaN where missing).
    public let levels: [Double]
    /// Scalings of the model's input columns: the (transformed) target first, then features.
    public let scalings: [AffineScaling]
    /// Evaluation windows: inputs scaled, targets scaled, horizon H.
    public let windows: Windows
    /// Window indices of each part, in time order.
    public let trainIndices: Range<Int>, validationIndices: Range<Int>, testIndices: Range<Int>
    /// Training and validation windows for the model (one step ahead unless direct).
    public internal(set) var trainingWindows: Windows, validationWindows: Windows?
    /// With `setup.onLinearARX`: the linear ARX forecast of each window in scaled units; the
    /// model's training targets are the scaled target minus it, and its outputs are added back.
    public internal(set) var linearOffsets: [Double]?
    /// The last row of the series used for training (scaling is fitted up to here).
    public let lastTrainingRow: Int
    /// The series as the model reads it: target transformed, covariate gaps handled,
    /// future-known covariates shifted (unscaled).
    public let inputSeries: TimeSeries
    /// What preparing the covariates did (missing values, windows left out).
    public let covariates: Covariates.Report

    /// Prepares `series` for `setup`. With `fitted` scalings (from a saved model), those are
    /// used instead of fitting new ones.
    public init(series: TimeSeries, setup: ExperimentSetup, fitted: [AffineScaling]? = nil) throws {
        try self.init(series: series, setup: setup, fitted: fitted, split: nil)
    }

    /// As above; `split` (window indices of each part of `PreparedData.allWindows`) overrides the set-up's fractions or dates, for rolling-origin backtests.
    init(series: TimeSeries, setup: ExperimentSetup, fitted: [AffineScaling]?, split override: ChronologicalSplit?) throws {
        try setup.validate()
        self.setup = setup
        self.series = series
        for name in [setup.target] + setup.features + (setup.futureFeatures ?? []) where series.column(name) == nil {
            throw ExperimentError.invalidSetup("the data has no column '\(name)' (columns: \(series.names.joined(separator: ", ")))")
        }
        levels = series[setup.target]
        var working = series
        working.setColumn(setup.target, try setup.targetTransform.forward(levels))
        var covariateReport = Covariates.prepare(&working, setup: setup)
        inputSeries = working
        let frequency = setup.windowFrequency
        let calendar = setup.calendarFeatures
        let all = try PreparedData.allWindows(working, setup: setup)
        covariateReport.windowsWithCovariates = all.count
        if !setup.modelFeatures.isEmpty {
            var targetOnly = setup
            targetOnly.features = []
            targetOnly.futureFeatures = nil
            covariateReport.windowsWithoutCovariates = try PreparedData.allWindows(working, setup: targetOnly).count
        } else {
            covariateReport.windowsWithoutCovariates = all.count
        }
        covariates = covariateReport
        guard all.count >= 3 else {
            throw ExperimentError.notEnoughData("\(all.count) windows of \(setup.lookback) + \(setup.horizon) steps in \(series.count) rows; need at least 3")
        }
        let split = try override ?? PreparedData.split(all, setup: setup)
        // A saved model (fitted scalings) may be evaluated on test windows only.
        guard !split.train.isEmpty || fitted != nil, !split.test.isEmpty else {
            throw ExperimentError.notEnoughData("the split of \(all.count) windows leaves an empty training or test part (\(split.train.count) train, \(split.test.count) test)")
        }
        trainIndices = split.train
        validationIndices = split.validation
        testIndices = split.test
        lastTrainingRow = split.train.isEmpty ? all.lastInputRows[0] : all.targetRows[split.train.upperBound - 1].last!
        let lastValidationRow = split.validation.isEmpty ? lastTrainingRow : all.targetRows[split.validation.upperBound - 1].last!

        // Scalers: fitted on the training rows only unless the setup says otherwise.
        let columns = [setup.target] + setup.modelFeatures
        if let fitted {
            guard fitted.map(\.column) == columns else {
                throw ExperimentError.incompatibleModel("the model was trained on columns \(fitted.map(\.column)), the setup names \(columns)")
            }
            scalings = fitted
        } else {
            let firstTrainingRow = max(0, all.lastInputRows[split.train.lowerBound] - setup.lookback + 1)
            let rows = setup.scaleOnAllData ? 0..<series.count : firstTrainingRow..<(lastTrainingRow + 1)
            scalings = columns.map { name in
                let values = Array(working[name][rows]).filter { !$0.isNaN }
                return setup.scaler == .standard
                    ? AffineScaling(column: name, from: StandardScaler(fitting: values))
                    : AffineScaling(column: name, from: MinMaxScaler(fitting: values))
            }
        }
        windows = PreparedData.scaled(all, scalings: scalings)

        if setup.direct || setup.horizon == 1 {
            trainingWindows = windows.subset(Array(split.train))
            validationWindows = split.validation.isEmpty ? nil : windows.subset(Array(split.validation))
        } else {
            // A one-step model used recursively: train on one-step windows inside the same rows.
            let oneStep = PreparedData.scaled(
                try Windowing.make(working, target: setup.target, features: setup.modelFeatures, calendar: calendar,
                                   spec: WindowSpec(lookback: setup.lookback, horizon: 1), frequency: frequency),
                scalings: scalings)
            let trainEnd = lastTrainingRow
            let trainStart = all.lastInputRows[split.train.lowerBound] + 1
            let trainIdx = oneStep.targetRows.indices.filter { oneStep.targetRows[$0][0] >= trainStart && oneStep.targetRows[$0][0] <= trainEnd }
            let valIdx = oneStep.targetRows.indices.filter { oneStep.targetRows[$0][0] > trainEnd && oneStep.targetRows[$0][0] <= lastValidationRow }
            trainingWindows = oneStep.subset(trainIdx)
            validationWindows = valIdx.isEmpty ? nil : oneStep.subset(valIdx)
        }
        if setup.onLinearARX == true { try fitLinearOffsets() }
    }

    /// Every evaluation window (unscaled) of a series whose target is already transformed.
    static func allWindows(_ working: TimeSeries, setup: ExperimentSetup) throws -> Windows {
        let spec = WindowSpec(lookback: setup.lookback, horizon: setup.horizon, output: .path)
        return try Windowing.make(working, target: setup.target, features: setup.modelFeatures, calendar: setup.calendarFeatures,
                                  spec: spec, frequency: setup.windowFrequency)
    }

    /// The split of the set-up: by dates when `testFrom` is set, else by fractions.
    static func split(_ all: Windows, setup: ExperimentSetup) throws -> ChronologicalSplit {
        guard let test = setup.testFromDate else {
            return try ChronologicalSplit.fractions(rowCount: all.count, train: setup.trainFraction, validation: setup.validationFraction)
        }
        let validation = setup.validationFromDate ?? test
        let t = all.targetTimes.firstIndex { $0[0] >= test } ?? all.count
        let v = all.targetTimes.firstIndex { $0[0] >= validation } ?? all.count
        return ChronologicalSplit(train: 0..<min(v, t), validation: min(v, t)..<t, test: t..<all.count)
    }

    /// Scales the first `scalings.count` input features and the targets (calendar features
    /// are already in [−1, 1]).
    static func scaled(_ w: Windows, scalings: [AffineScaling]) -> Windows {
        var out = w
        let f = w.inputs.shape[2]
        for i in out.inputs.scalars.indices {
            let c = i % f
            if c < scalings.count { out.inputs.scalars[i] = Float(scalings[c].transform(Double(out.inputs.scalars[i]))) }
        }
        for i in out.targets.scalars.indices {
            out.targets.scalars[i] = Float(scalings[0].transform(Double(out.targets.scalars[i])))
        }
        return out
    }

    /// Window `n`'s target history in levels: the `lookback` levels of its input span.
    package func levelHistory(_ n: Int) -> [Double] {
        let last = windows.lastInputRows[n]
        return Array(levels[(last - setup.lookback + 1)...last])
    }

    /// Window `n`'s actual target levels.
    package func actualLevels(_ n: Int) -> [Double] { windows.targetRows[n].map { levels[$0] } }

    /// Model outputs (scaled, transformed) of window `n` as levels.
    package func levels(fromScaled path: [Double], window n: Int) -> [Double] {
        var path = path
        if let offsets = linearOffsets, !path.isEmpty { path[0] += offsets[n] }
        let transformed = path.map { scalings[0].inverse($0) }
        return setup.targetTransform.invertPath(transformed, lastLevel: levels[windows.lastInputRows[n]])
    }
}
