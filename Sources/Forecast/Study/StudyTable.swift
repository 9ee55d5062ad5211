import Foundation

/// The ranked table of a study: architectures (mean ± sd over seeds) and baselines, by test RMSE.
public struct StudyTableRow: Equatable, Sendable {
    public var rank: Int
    public var name: String
    /// `model`, `ensemble` (the mean of all architectures' seed ensembles) or `baseline`.
    public var kind: String
    public var spec: String
    public var runs: Int
    public var rmse: MeanSD, mae: MeanSD, r2: MeanSD, mase: MeanSD
    /// RMSE of the seed-ensemble mean forecast (the baseline's own RMSE for baselines).
    public var ensembleRMSE: Double
    /// DM test of the ensemble forecast against the best baseline.
    public var dmStatistic: Double, dmPValue: Double
    public var parameters: Int
    public var seconds: Double
    public var epochs: Double
}

extension StudySummary {
    /// Architectures and baselines ranked by (mean) test RMSE.
    public var rows: [StudyTableRow] {
        var rows: [StudyTableRow] = architectures.map { a in
            StudyTableRow(rank: 0, name: a.name, kind: "model", spec: a.spec, runs: a.runs, rmse: a.rmse, mae: a.mae, r2: a.r2, mase: a.mase,
                          ensembleRMSE: a.ensembleRMSE, dmStatistic: a.versusBestBaseline?.statistic ?? .nan,
                          dmPValue: a.versusBestBaseline?.pValue ?? .nan, parameters: a.parameters, seconds: a.seconds.mean, epochs: a.epochs.mean)
        }
        if let c = combined {
            rows.append(StudyTableRow(rank: 0, name: "ensemble of all architectures", kind: "ensemble", spec: "", runs: architectures.reduce(0) { $0 + $1.runs },
                                      rmse: MeanSD([c.metrics.rmse]), mae: MeanSD([c.metrics.mae]), r2: MeanSD([c.metrics.r2]), mase: MeanSD([c.mase]),
                                      ensembleRMSE: c.metrics.rmse, dmStatistic: c.versusBestBaseline?.statistic ?? .nan,
                                      dmPValue: c.versusBestBaseline?.pValue ?? .nan, parameters: 0, seconds: 0, epochs: 0))
        }
        for b in reference.baselines {
            rows.append(StudyTableRow(rank: 0, name: b.name, kind: "baseline", spec: "", runs: 1, rmse: MeanSD([b.rmse]), mae: MeanSD([b.mae]),
                                      r2: MeanSD([b.r2]), mase: MeanSD([b.mase]), ensembleRMSE: b.rmse, dmStatistic: .nan, dmPValue: .nan,
                                      parameters: 0, seconds: 0, epochs: 0))
        }
        rows.sort { ($0.rmse.mean.isNaN ? .infinity : $0.rmse.mean, $0.name) < ($1.rmse.mean.isNaN ? .infinity : $1.rmse.mean, $1.name) }
        for i in rows.indices { rows[i].rank = i + 1 }
        return rows
    }

    /// "mean ± sd" over seeds; the mean alone from one run (an sd of one value means nothing).
    static func pm(_ v: MeanSD, _ d: Int, runs: Int) -> String {
        if v.mean.isNaN { return "—" }
        return runs < 2 ? String(format: "%.\(d)f", v.mean) : String(format: "%.\(d)f ± %.\(d)f", v.mean, v.sd)
    }

    static func num(_ v: Double, _ d: Int) -> String { v.isFinite ? String(format: "%.\(d)f", v) : "" }

    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "" }
        return p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p)
    }

    /// `results.csv`: one row per method, numbers unformatted.
    public var csv: String {
        var out = "rank,method,kind,spec,runs,rmse_mean,rmse_sd,mae_mean,mae_sd,r2_mean,r2_sd,mase_mean,mase_sd,ensemble_rmse,dm_vs_best_baseline,dm_p_value,parameters,train_seconds_mean,epochs_mean\n"
        func f(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "" }
        for r in rows {
            let spec = r.spec.contains(",") ? "\"\(r.spec)\"" : r.spec
            out += [String(r.rank), r.name, r.kind, spec, String(r.runs), f(r.rmse.mean), f(r.rmse.sd), f(r.mae.mean), f(r.mae.sd),
                    f(r.r2.mean), f(r.r2.sd), f(r.mase.mean), f(r.mase.sd), f(r.ensembleRMSE), f(r.dmStatistic), f(r.dmPValue),
                    r.kind == "model" ? String(r.parameters) : "", r.kind == "model" ? f(r.seconds) : "", r.kind == "model" ? f(r.epochs) : ""]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    /// The table's header and formatted cells, shared by Markdown and HTML.
    var formattedTable: (header: [String], cells: [[String]]) {
        let unit = plan.unit.isEmpty ? "" : " (\(plan.unit))"
        let best = reference.bestBaseline?.name ?? "best baseline"
        let header = ["#", "method", "RMSE\(unit)", "MAE\(unit)", "R²", "MASE", "ensemble RMSE", "DM vs \(best)", "p", "params", "train s", "epochs"]
        let cells = rows.map { r -> [String] in
            func cell(_ v: MeanSD) -> String { r.kind == "model" ? StudySummary.pm(v, 3, runs: r.runs) : StudySummary.num(v.mean, 3) }
            return [String(r.rank), r.kind == "baseline" ? "\(r.name) (baseline)" : r.name,
             cell(r.rmse), cell(r.mae), cell(r.r2), cell(r.mase),
             StudySummary.num(r.ensembleRMSE, 3), StudySummary.num(r.dmStatistic, 2), StudySummary.pValue(r.dmPValue),
             r.kind == "model" ? String(r.parameters) : "", r.kind == "model" ? StudySummary.num(r.seconds, 1) : "",
             r.kind == "model" ? StudySummary.num(r.epochs, 1) : ""]
        }
        return (header, cells)
    }

    /// The ranked table in Markdown.
    public var markdownTable: String {
        let (header, cells) = formattedTable
        var out = "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in cells { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out
    }

    /// One paragraph: which architecture wins, by how much over persistence and seasonal
    /// naive, and whether the difference from the best baseline is significant.
    public var verdict: String {
        guard let w = best else { return "No architecture has finished a trial yet." }
        var parts: [String] = []
        let unit = plan.unit.isEmpty ? "" : " \(plan.unit)"
        if w.runs < 2 {
            parts.append(String(format: "Best architecture by test RMSE from one seed: %@ (%@), RMSE %.3f%@ (run more seeds to see the spread between them).",
                                w.name, w.spec, w.rmse.mean, unit))
        } else {
            parts.append(String(format: "Best architecture by mean test RMSE over %d seeds: %@ (%@), RMSE %.3f ± %.3f%@; its seed-ensemble mean forecast has RMSE %.3f.",
                                w.runs, w.name, w.spec, w.rmse.mean, w.rmse.sd, unit, w.ensembleRMSE))
        }
        for name in ["persistence", "seasonal_naive", "linear_ar"] {
            guard let b = reference.baseline(name) else { continue }
            let gain = 100 * (b.rmse - w.rmse.mean) / b.rmse
            let cmp = name == "persistence" ? w.versusPersistence : name == "seasonal_naive" ? w.versusSeasonalNaive : w.versusLinearAR
            parts.append(String(format: "Against %@ (RMSE %.3f): %@ by %.1f%%", name, b.rmse, gain >= 0 ? "better" : "worse", abs(gain))
                         + (cmp.map { String(format: ", DM* = %.2f, p = %@", $0.statistic, StudySummary.pValue($0.pValue)) } ?? "") + ".")
        }
        if let c = combined {
            parts.append(String(format: "The mean of all %d architectures' ensembles has RMSE %.3f", architectures.count, c.metrics.rmse)
                         + (c.versusBestBaseline.map { String(format: " (DM* = %.2f vs %@, p = %@)", $0.statistic, $0.against, StudySummary.pValue($0.pValue)) } ?? "") + ".")
        }
        if let b = reference.bestBaseline, let c = w.versusBestBaseline {
            let significant = c.pValue < 0.05
            let better = c.statistic < 0
            let claim: String
            if significant && better { claim = "beats the best baseline (\(b.name)) significantly at the 5% level" }
            else if significant { claim = "is significantly worse than the best baseline (\(b.name))" }
            else { claim = "does not differ significantly from the best baseline (\(b.name)) at the 5% level" }
            parts.append("Diebold–Mariano test (squared loss, HLN correction, seed-ensemble mean forecast vs \(b.name)): \(w.name) \(claim), p = \(StudySummary.pValue(c.pValue)).")
        }
        parts += covariateComparisons
        return parts.joined(separator: " ")
    }
}
