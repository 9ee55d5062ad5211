import Foundation
import Recurrent

/// Covariates and global models in a study: which columns each architecture reads, the
/// linear ARX baselines on the same inputs, and the one set of test windows every
/// architecture is judged on.
extension StudyArchitecture {
    /// True when the architecture reads past or future-known covariates.
    public var hasCovariates: Bool { !(features ?? []).isEmpty || !(futureFeatures ?? []).isEmpty }

    /// Every data column the architecture reads besides the study's target.
    var dataColumns: [String] { (features ?? []) + (futureFeatures ?? []) + (columns ?? []) }
}

extension StudyPlan {
    /// Input channels of an architecture's windows: the target, its covariates, two per calendar input.
    func inputWidth(_ a: StudyArchitecture) -> Int {
        1 + (a.features ?? []).count + (a.futureFeatures ?? []).count + 2 * (a.calendar ?? grid.calendar).count
    }

    /// The series a global architecture trains on: the target first, then its other columns.
    func globalColumns(_ a: StudyArchitecture) -> [String] {
        [column] + (a.columns ?? []).filter { $0 != column }
    }

    /// Settings of covariates and global models that no single `ExperimentSetup` checks.
    func checkCovariates(_ a: StudyArchitecture) throws {
        guard let columns = a.columns else { return }
        if a.hasCovariates {
            throw StudyError.architecture(a.name, "a global architecture ('columns') takes no 'features' or 'futureFeatures'")
        }
        if let twice = columns.first(where: { c in columns.filter { $0 == c }.count > 1 }) {
            throw StudyError.architecture(a.name, "column '\(twice)' is named twice in 'columns'")
        }
        if a.calendar.map({ !$0.isEmpty }) ?? !grid.calendar.isEmpty {
            throw StudyError.architecture(a.name, "a global architecture takes no calendar inputs")
        }
    }

    /// Every column the architectures read besides the target, each once, in grid order.
    public var extraColumns: [String] { distinctColumns(\.dataColumns).filter { $0 != column } }

    /// Covariate columns of any architecture: where one is missing (for a future-known one,
    /// also on the row before), the study leaves the target out too, so every architecture has
    /// the same windows.
    var covariateColumns: [String] { distinctColumns { ($0.features ?? []) + ($0.futureFeatures ?? []) } }

    /// The columns `pick` names across the architectures, each once, in grid order.
    private func distinctColumns(_ pick: (StudyArchitecture) -> [String]) -> [String] {
        var out: [String] = []
        for a in grid.architectures { for c in pick(a) where !out.contains(c) { out.append(c) } }
        return out
    }

    /// Refuses a target or architecture column that the data does not have, naming the grid
    /// file (nil: a preset), the architecture and the column, and listing the data's columns.
    public func checkColumns(available: [String], gridFile: String?) throws {
        let files = ([dataName] + (joinedData ?? [])).joined(separator: " + ")
        let listing = "(columns: \(available.joined(separator: ", ")))"
        guard available.contains(column) else { throw StudyError.invalid("\(files): no column '\(column)' to forecast \(listing)") }
        for a in grid.architectures {
            for c in a.dataColumns where !available.contains(c) {
                let text = "architecture '\(a.name)' names column '\(c)', which \(files) does not have \(listing)"
                throw gridFile.map { StudyError.grid($0, text) } ?? StudyError.invalid(text)
            }
            if let c = a.dataColumns.first(where: { $0 == column }), a.columns == nil {
                throw StudyError.architecture(a.name, "the target '\(c)' cannot also be a covariate")
            }
        }
    }

    /// One linear ARX per distinct set of inputs among the architectures with covariates:
    /// its name (`linear_arx[first architecture]`), the architectures it serves, and the set-up
    /// whose windows it is fitted on.
    var arxSets: [(name: String, architectures: [String], setup: ExperimentSetup)] {
        var out: [(name: String, architectures: [String], setup: ExperimentSetup)] = []
        for a in grid.architectures where a.hasCovariates && a.columns == nil {
            let s = setup(a, seed: 1)
            if let k = out.firstIndex(where: { $0.setup.features == s.features && $0.setup.futureFeatures == s.futureFeatures && $0.setup.calendar == s.calendar }) {
                out[k].architectures.append(a.name)
            } else {
                out.append(("linear_arx[\(a.name)]", [a.name], s))
            }
        }
        return out
    }
}

extension StudyReference {
    /// The reference with the study's own ARX baselines in place of a trial's `linear_arx`
    /// (which would depend on the inputs of whichever trial finished first).
    func withStudyBaselines(_ arx: [Baseline]) -> StudyReference {
        var r = self
        r.baselines.removeAll { $0.name == "linear_arx" }
        r.baselines += arx
        return r
    }
}

/// What a study does beyond one architecture on one column.
public enum StudyCovariates {
    /// The series with the target set missing wherever a covariate of any architecture is
    /// missing, so that every architecture — with or without covariates, local or global —
    /// has the same windows, split and test part. Returns the series and how many target
    /// values were left out.
    public static func aligned(_ series: TimeSeries, plan: StudyPlan) -> (series: TimeSeries, masked: Int) {
        // With `featureGaps: carry` only the values before a column's first observation stay missing.
        var values: [String: [Double]] = [:]
        for name in plan.covariateColumns {
            guard var v = series.column(name) else { continue }
            if plan.grid.featureGaps == .carry { _ = Covariates.carryForward(&v) }
            values[name] = v
        }
        let covariates = plan.covariateColumns.compactMap { values[$0] }
        guard !covariates.isEmpty, var target = series.column(plan.column) else { return (series, 0) }
        // A future-known column is read one row ahead (the last row has no next value).
        let future = plan.grid.architectures.flatMap { $0.futureFeatures ?? [] }.compactMap { values[$0] }
        func missing(_ i: Int) -> Bool {
            covariates.contains { $0[i].isNaN } || future.contains { i + 1 >= $0.count || $0[i + 1].isNaN }
        }
        var masked = 0
        for i in target.indices where !target[i].isNaN && missing(i) {
            target[i] = .nan
            masked += 1
        }
        var out = series
        out.setColumn(plan.column, target)
        return (out, masked)
    }

    /// The linear ARX baselines of the plan on its test part, fitted on the training windows
    /// of the architectures they serve.
    static func arxBaselines(_ series: TimeSeries, plan: StudyPlan) throws -> [StudyReference.Baseline] {
        try plan.arxSets.compactMap { set in
            let data = try PreparedData(series: series, setup: try set.setup.resolvingAutomaticTransform(series))
            guard let arx = data.linearARX() else { return nil }
            let test = Array(data.testIndices)
            let predicted = test.flatMap { arx.predict(data.arxInputs($0)) }
            let training = Array(data.levels[0...data.lastTrainingRow]).filter { !$0.isNaN }
            let m = ForecastMetrics(actual: test.flatMap { data.actualLevels($0) }, predicted: predicted,
                                    training: training, seasonality: set.setup.seasonalPeriod)
            return StudyReference.Baseline(name: set.name, predictions: predicted, rmse: m.rmse, mae: m.mae, r2: m.r2, mase: m.mase,
                                           architectures: set.architectures)
        }
    }

    /// Checks that every architecture's set-up cuts the same test windows (they are compared
    /// pairwise on them), before anything trains.
    static func checkSameTestWindows(_ series: TimeSeries, plan: StudyPlan) throws {
        var first: (name: String, times: [LocalDateTime?])?
        for a in plan.grid.architectures {
            var setup = plan.setup(a, seed: 1)
            if a.columns != nil { setup.features = []; setup.futureFeatures = nil }
            let data: PreparedData
            do { data = try PreparedData(series: series, setup: try setup.resolvingAutomaticTransform(series)) } catch let e as ExperimentError {
                throw StudyError.architecture(a.name, "the data cannot serve it: \(e)")
            }
            let times = data.testIndices.map { data.windows.targetTimes[$0].first }
            guard let f = first else { first = (a.name, times); continue }
            guard f.times == times else {
                throw StudyError.architecture(a.name, "its test part (\(times.count) windows) differs from \(f.name)'s (\(f.times.count)); give every architecture the same transform and lookback")
            }
        }
    }

    /// One trial of a global architecture: the network trained on all its series, its result
    /// on the study's target column.
    static func runGlobal(series: TimeSeries, plan: StudyPlan, architecture a: StudyArchitecture, seed: UInt64) throws -> ExperimentResult {
        let setup = try plan.setup(a, seed: seed).resolvingAutomaticTransform(series)
        let r = try GlobalExperiment.run(series: series, columns: plan.globalColumns(a), setup: setup, progress: .none)
        return r.results[0]
    }

    /// The runner with the aligned series, the ARX baselines and the test windows checked.
    static func prepared(_ runner: StudyRunner) throws -> StudyRunner {
        var out = runner
        try runner.plan.checkColumns(available: runner.series.names, gridFile: nil)
        let (series, masked) = aligned(runner.series, plan: runner.plan)
        if masked > 0 {
            runner.log("study: \(masked) target value(s) left out where a covariate (\(runner.plan.covariateColumns.joined(separator: ", "))) is missing, so every architecture has the same test windows")
        }
        out.series = series
        if runner.plan.grid.architectures.contains(where: { $0.hasCovariates || $0.columns != nil }) {
            try checkSameTestWindows(series, plan: runner.plan)
        }
        out.studyBaselines = try arxBaselines(series, plan: runner.plan)
        return out
    }

    /// One line per architecture that reads more than the target, for the report's set-up.
    static func inputsLine(_ plan: StudyPlan) -> String? {
        let arxSets = plan.arxSets  // worked out from a set-up per architecture: once, not per line
        let lines = plan.grid.architectures.compactMap { a -> String? in
            if a.columns != nil { return "\(a.name): global, one network on \(plan.globalColumns(a).joined(separator: ", ")) (each scaled on its own), scored on \(plan.column)" }
            guard a.hasCovariates else { return nil }
            var parts: [String] = []
            if let f = a.features, !f.isEmpty { parts.append("past \(f.joined(separator: ", "))") }
            if let f = a.futureFeatures, !f.isEmpty { parts.append("future-known \(f.joined(separator: ", "))") }
            let arx = arxSets.first { $0.architectures.contains(a.name) }?.name
            return "\(a.name): \(parts.joined(separator: "; "))" + (arx.map { " (baseline \($0) has the same inputs)" } ?? "")
        }
        guard !lines.isEmpty else { return nil }
        let joined = plan.joinedData.map { "; columns of \($0.joined(separator: ", ")) joined by time stamp" } ?? ""
        return lines.joined(separator: ". ") + ". The target is left out wherever any covariate is missing, so every row has the same test part" + joined + "."
    }
}

extension StudySummary {
    /// Each covariate architecture against the linear ARX on the same inputs.
    var covariateComparisons: [String] {
        architectures.compactMap { a in
            guard let c = a.versusOwnARX, let b = reference.baseline(c.against) else { return nil }
            let gain = 100 * (b.rmse - a.rmse.mean) / b.rmse
            return String(format: "%@ against %@ (same inputs, RMSE %.3f): %@ by %.1f%%, DM* = %.2f, p = %@.", a.name, b.name, b.rmse,
                          gain >= 0 ? "better" : "worse", abs(gain), c.statistic, StudySummary.pValue(c.pValue))
        }
    }
}
