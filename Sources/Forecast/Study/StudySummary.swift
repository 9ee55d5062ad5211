import Charts
import Foundation

/// Mean and sample standard deviation of repeated measurements.
public struct MeanSD: Equatable, Sendable {
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 for one value.
    public var sd: Double

    public init(_ values: [Double]) {
        let v = values.filter { $0.isFinite }
        guard !v.isEmpty else { mean = .nan; sd = .nan; return }
        let m = v.reduce(0, +) / Double(v.count)
        mean = m
        sd = v.count < 2 ? 0 : (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }
}

/// A Diebold–Mariano comparison of one forecast against another on the test part.
public struct StudyComparison: Equatable, Sendable {
    /// The method compared against.
    public var against: String
    /// DM* (negative: the architecture has the lower squared error).
    public var statistic: Double
    public var pValue: Double
}

/// One architecture across its seeds.
public struct ArchitectureSummary: Sendable {
    public var name: String
    public var spec: String
    /// Successful runs (and failed ones).
    public var runs: Int
    public var failures: Int
    public var rmse: MeanSD, mae: MeanSD, r2: MeanSD, mase: MeanSD
    public var parameters: Int
    public var seconds: MeanSD
    public var epochs: MeanSD
    /// The run with the median test RMSE (lower median for an even count).
    public var medianRun: TrialRecord?
    /// The seed-ensemble mean forecast `[window][step]` flattened and its test metrics.
    public var ensemble: [Double]
    public var ensembleRMSE: Double, ensembleMAE: Double, ensembleR2: Double, ensembleMASE: Double
    /// DM tests of the ensemble forecast against the best baseline and persistence.
    public var versusBestBaseline: StudyComparison?
    public var versusPersistence: StudyComparison?
    public var versusSeasonalNaive: StudyComparison?
    public var versusLinearAR: StudyComparison?
    /// With covariates: DM test against the linear ARX on the same inputs.
    public var versusOwnARX: StudyComparison?
}

/// The ranked results of a study: architectures by mean test RMSE over seeds, and the baselines.
public struct StudySummary: Sendable {
    public var plan: StudyPlan
    public var reference: StudyReference
    /// Best (lowest mean test RMSE) first.
    public var architectures: [ArchitectureSummary]
    public var trialCount: Int
    /// Trials of the plan not in the folder(s) (a shard's report, a run still going).
    public var missingTrials: [String]
    /// The trials summarized (each id once), in the order read.
    public var records: [TrialRecord]

    /// Summarizes `trials` (duplicates by id are counted once, the first kept).
    public init(plan: StudyPlan, reference: StudyReference, trials: [TrialRecord]) {
        self.plan = plan
        self.reference = reference
        var seen = Set<String>()
        let unique = trials.filter { seen.insert($0.id).inserted }
        trialCount = unique.count
        records = unique
        missingTrials = plan.trials.map(\.id).filter { !seen.contains($0) }
        architectures = plan.grid.architectures.compactMap { a -> ArchitectureSummary? in
            let all = unique.filter { $0.architecture == a.name }
            guard !all.isEmpty else { return nil }
            return StudySummary.summarize(a, all, reference: reference)
        }.sorted { ($0.rmse.mean.isNaN ? .infinity : $0.rmse.mean) < ($1.rmse.mean.isNaN ? .infinity : $1.rmse.mean) }
    }

    static func summarize(_ a: StudyArchitecture, _ all: [TrialRecord], reference: StudyReference) -> ArchitectureSummary {
        let ok = all.filter { $0.error == nil && $0.predictions.count == reference.actual.count }.sorted { $0.seed < $1.seed }
        let byRMSE = ok.sorted { ($0.rmse, $0.seed) < ($1.rmse, $1.seed) }
        let median = byRMSE.isEmpty ? nil : byRMSE[(byRMSE.count - 1) / 2]
        var ensemble = Array(repeating: Double.nan, count: ok.isEmpty ? 0 : reference.actual.count)
        if !ok.isEmpty {
            for i in ensemble.indices { ensemble[i] = ok.reduce(0) { $0 + Double($1.predictions[i]) } / Double(ok.count) }
        }
        let m = ensemble.isEmpty ? nil : ForecastMetrics(actual: reference.actual, predicted: ensemble)
        func dm(_ baseline: StudyReference.Baseline?) -> StudyComparison? {
            guard let baseline, !ensemble.isEmpty else { return nil }
            return StudySummary.dieboldMariano(ensemble, baseline.predictions, name: baseline.name, reference: reference)
        }
        return ArchitectureSummary(
            name: a.name, spec: a.spec, runs: ok.count, failures: all.count - ok.count,
            rmse: MeanSD(ok.map(\.rmse)), mae: MeanSD(ok.map(\.mae)), r2: MeanSD(ok.map(\.r2)), mase: MeanSD(ok.map(\.mase)),
            parameters: all.first?.parameters ?? 0, seconds: MeanSD(ok.map(\.seconds)), epochs: MeanSD(ok.map { Double($0.epochs) }),
            medianRun: median, ensemble: ensemble,
            ensembleRMSE: m?.rmse ?? .nan, ensembleMAE: m?.mae ?? .nan, ensembleR2: m?.r2 ?? .nan,
            ensembleMASE: (m?.mae ?? .nan) / reference.maseScale,
            versusBestBaseline: dm(reference.bestBaseline), versusPersistence: dm(reference.baseline("persistence")),
            versusSeasonalNaive: dm(reference.baseline("seasonal_naive")), versusLinearAR: dm(reference.baseline("linear_ar")),
            versusOwnARX: dm(reference.baselines.first { $0.architectures?.contains(a.name) == true }))
    }

    /// DM test (squared loss, HLN-corrected) of forecast `a` against `b` on the pairs where
    /// the actual value and both forecasts exist. With horizon H > 1 it compares the H-step-
    /// ahead errors (the last step of each window), whose autocorrelation DM's h − 1 lags cover.
    static func dieboldMariano(_ a: [Double], _ b: [Double], name: String, reference: StudyReference) -> StudyComparison? {
        var e1: [Double] = [], e2: [Double] = []
        let h = max(1, reference.horizon)
        for i in reference.actual.indices where i < a.count && i < b.count && i % h == h - 1 {
            let y = reference.actual[i]
            guard y.isFinite, a[i].isFinite, b[i].isFinite else { continue }
            e1.append(y - a[i]); e2.append(y - b[i])
        }
        guard let test = try? DieboldMariano(errors1: e1, errors2: e2, horizon: reference.horizon, loss: .squared) else { return nil }
        return StudyComparison(against: name, statistic: test.statistic, pValue: test.pValue)
    }

    public var best: ArchitectureSummary? { architectures.first }

    /// The mean of every architecture's seed-ensemble forecast (`[window][step]` flattened), its
    /// test metrics and its DM test against the best baseline; nil with fewer than two architectures.
    public var combined: (forecast: [Double], metrics: ForecastMetrics, mase: Double, versusBestBaseline: StudyComparison?)? {
        let members = architectures.filter { $0.ensemble.count == reference.actual.count }
        guard members.count >= 2 else { return nil }
        let forecast = reference.actual.indices.map { i in members.reduce(0) { $0 + $1.ensemble[i] } / Double(members.count) }
        let m = ForecastMetrics(actual: reference.actual, predicted: forecast)
        let dm = reference.bestBaseline.flatMap { StudySummary.dieboldMariano(forecast, $0.predictions, name: $0.name, reference: reference) }
        return (forecast, m, m.mae / reference.maseScale, dm)
    }
}
