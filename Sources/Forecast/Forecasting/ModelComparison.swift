import Charts
/// The model's test errors against each baseline's, by the Diebold–Mariano test (squared
/// loss, HLN correction) on the errors `horizon` steps ahead. A negative statistic means the
/// model has the lower error.
public struct ModelComparison: Sendable {
    public var baseline: String
    public var test: DieboldMariano

    /// One comparison per baseline; a baseline whose test cannot be computed is left out.
    public static func all(_ r: ExperimentResult) -> [ModelComparison] {
        guard let model = r.method("model") else { return [] }
        let last = r.setup.horizon - 1
        return r.methods.filter { $0.name != "model" }.compactMap { b in
            var e1: [Double] = [], e2: [Double] = []
            for w in r.actual.indices where last < r.actual[w].count {
                let a = r.actual[w][last], p1 = model.paths[w][last], p2 = b.paths[w][last]
                guard a.isFinite, p1.isFinite, p2.isFinite else { continue }
                e1.append(a - p1); e2.append(a - p2)
            }
            guard let dm = try? DieboldMariano(errors1: e1, errors2: e2, horizon: r.setup.horizon) else { return nil }
            return ModelComparison(baseline: b.name, test: dm)
        }
    }

    /// The report table: the model against each baseline.
    static func table(_ comparisons: [ModelComparison], horizon: Int) -> Table {
        var t = Table(header: ["baseline", "DM statistic", "p-value", "verdict"],
                      caption: "Diebold–Mariano test of the model against each baseline on the test part (squared error\(horizon > 1 ? ", \(horizon) steps ahead" : ""), HLN correction, two-sided). Negative: the model has the lower error.")
        for c in comparisons {
            let better = c.test.statistic < 0
            let verdict = c.test.pValue < 0.05 ? (better ? "model significantly better" : "model significantly worse") : "no significant difference"
            t.addRow([.text(c.baseline), .number(c.test.statistic, 3), .number(c.test.pValue, 4), .text(verdict)])
        }
        return t
    }
}
