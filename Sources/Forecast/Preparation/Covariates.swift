/// Covariates: extra input columns beside the target. Past covariates enter the window as
/// they are; a future-known covariate enters shifted by one step, so that the window's last
/// step carries its value at the step being forecast.
public enum Covariates {
    /// The input column that holds `name`'s next-step value.
    public static func futureColumn(_ name: String) -> String { "\(name)@next" }

    /// Checks the covariate settings of a set-up.
    static func validate(_ setup: ExperimentSetup) throws {
        let future = setup.futureFeatures ?? []
        for name in setup.features + future where name == setup.target {
            throw ExperimentError.invalidSetup("the target '\(name)' cannot also be a feature")
        }
        for list in [setup.features, future] {
            if let twice = list.first(where: { n in list.filter { $0 == n }.count > 1 }) {
                throw ExperimentError.invalidSetup("feature '\(twice)' is named twice")
            }
        }
        if !future.isEmpty && setup.horizon > 1 {
            throw ExperimentError.setting(.futureFeaturesNeedOneStep)
        }
    }

    /// What preparing the covariates did, for reports.
    public struct Report: Sendable, Equatable {
        /// Per covariate column: missing values in the data and values filled.
        public var missing: [String: Int] = [:]
        public var filled: [String: Int] = [:]
        /// Windows the target alone would give, and windows left once covariates are required.
        public var windowsWithoutCovariates = 0
        public var windowsWithCovariates = 0
        public var policy = FeatureGapPolicy.skip

        /// One sentence per fact, for the report and metrics.json.
        public var notes: [String] {
            var out: [String] = []
            for name in missing.keys.sorted() where missing[name]! > 0 {
                let f = filled[name] ?? 0
                out.append("Covariate \(name): \(missing[name]!) missing value(s)\(f > 0 ? ", \(f) filled by carrying the last value forward" : "").")
            }
            let lost = windowsWithoutCovariates - windowsWithCovariates
            if lost > 0 {
                out.append("\(lost) of \(windowsWithoutCovariates) windows left out because a covariate value is missing (feature gaps: \(policy)).")
            }
            return out
        }
    }

    /// Fills feature gaps (when the set-up says `carry`) and appends the shifted future
    /// columns to `series`, whose target column is already transformed.
    static func prepare(_ series: inout TimeSeries, setup: ExperimentSetup) -> Report {
        var report = Report()
        report.policy = setup.featureGaps ?? .skip
        for name in setup.features + (setup.futureFeatures ?? []).filter({ !setup.features.contains($0) }) {
            var values = series[name]
            report.missing[name] = values.filter(\.isNaN).count
            if report.policy == .carry {
                report.filled[name] = carryForward(&values)
                series.setColumn(name, values)
            }
        }
        for name in setup.futureFeatures ?? [] {
            series.setColumn(futureColumn(name), shiftedBack(series[name]))
        }
        return report
    }

    /// Replaces each NaN after the first observed value by the last observed value; returns
    /// how many were replaced.
    static func carryForward(_ values: inout [Double]) -> Int {
        var last: Double?, count = 0
        for i in values.indices {
            if values[i].isNaN {
                if let l = last { values[i] = l; count += 1 }
            } else {
                last = values[i]
            }
        }
        return count
    }

    /// `out[t] = values[t + 1]`; the last row has no next value (NaN).
    static func shiftedBack(_ values: [Double]) -> [Double] {
        guard !values.isEmpty else { return [] }
        return Array(values.dropFirst()) + [.nan]
    }
}
