import Foundation

/// Where a study's trials ran: one row per shard, host and batch job, with the trials it
/// finished and the time they took. Trials from before these were recorded count as unknown.
public struct StudyPlacementRow: Equatable, Sendable {
    public var shard: String
    public var host: String
    public var job: String
    public var trials: Int
    /// Sums over the row's trials: training only, and whole trials.
    public var trainSeconds: Double
    public var trialSeconds: Double
}

extension StudySummary {
    /// Rows by shard (in shard order), then host and job.
    public var placement: [StudyPlacementRow] {
        var rows: [StudyPlacementRow] = []
        for r in records {
            let key = (r.shard ?? "—", r.host ?? "unknown", r.job ?? "—")
            if let i = rows.firstIndex(where: { ($0.shard, $0.host, $0.job) == key }) {
                rows[i].trials += 1
                rows[i].trainSeconds += r.seconds
                rows[i].trialSeconds += r.trialSeconds ?? r.seconds
            } else {
                rows.append(StudyPlacementRow(shard: key.0, host: key.1, job: key.2, trials: 1,
                                              trainSeconds: r.seconds, trialSeconds: r.trialSeconds ?? r.seconds))
            }
        }
        func order(_ shard: String) -> Int { Int(shard.split(separator: "/").first ?? "") ?? Int.max }
        return rows.sorted { (order($0.shard), $0.host, $0.job) < (order($1.shard), $1.host, $1.job) }
    }

    /// The placement as a Markdown table.
    public var placementTable: String {
        var out = "| shard | host | job | trials | train s | trial s |\n|---|---|---|---|---|---|\n"
        for p in placement {
            out += "| \(p.shard) | \(p.host) | \(p.job) | \(p.trials) | \(String(format: "%.1f", p.trainSeconds)) | \(String(format: "%.1f", p.trialSeconds)) |\n"
        }
        return out
    }

    /// `trials.csv`: one row per finished trial with its metrics, where it ran and how long it took.
    public var trialsCSV: String {
        var out = "id,architecture,seed,rmse,mae,r2,mase,epochs,train_seconds,trial_seconds,shard,host,job,error\n"
        func f(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "" }
        func text(_ s: String?) -> String {
            guard let s else { return "" }
            return s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        for r in records {
            out += [text(r.id), text(r.architecture), String(r.seed), f(r.rmse), f(r.mae), f(r.r2), f(r.mase), String(r.epochs),
                    f(r.seconds), r.trialSeconds.map(f) ?? "", text(r.shard), text(r.host), text(r.job), text(r.error)]
                .joined(separator: ",") + "\n"
        }
        return out
    }
}
