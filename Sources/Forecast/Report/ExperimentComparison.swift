import Charts
import Foundation
import Recurrent

/// A report section comparing several variants of an experiment on their test parts
/// (e.g. the lab's model of levels against the same network predicting the change).
public enum ExperimentComparison {
    /// A table of every variant's model against persistence and the best baseline, and the
    /// test-period chart of `chartOf` (a variant's name) when given.
    ///
    /// - Parameters:
    ///   - intro: text and links (e.g. to each variant's own report, relative to this one).
    ///   - sameTarget: whether the variants forecast the same quantity, so their errors can be
    ///     ranked against each other. When false (e.g. a daily mean and the next hour), no
    ///     variant is highlighted as best and the caption says why.
    public static func section(heading: String, intro: [HTMLReport.Inline], variants: [(name: String, result: ExperimentResult)],
                               chartOf: String? = nil, sameTarget: Bool = true) -> HTMLReport.Section {
        var section = HTMLReport.Section(heading)
        section.paragraph(intro)
        let unit = variants.first.map { $0.result.setup.unit } ?? ""
        let units = "Test part, original units\(unit.isEmpty ? "" : " (\(unit))"); a ratio below 1 means the model beats persistence."
        var table = Table(header: ["variant", "model RMSE", "model MAE", "persistence RMSE", "best baseline", "model / persistence"],
                          best: sameTarget ? [1: .lowest, 2: .lowest, 5: .lowest] : [:],
                          caption: sameTarget ? units : units + " The variants forecast different targets, so compare each row with its own persistence and baselines, not the rows with each other.")
        for (name, r) in variants {
            guard let m = r.method("model"), let p = r.method("persistence") else { continue }
            let best = r.bestBaseline
            table.addRow([.text(name), .number(m.metrics.rmse, 4), .number(m.metrics.mae, 4), .number(p.metrics.rmse, 4),
                          .text(best.map { "\($0.name) \(ExperimentCharts.fmt($0.metrics.rmse))" } ?? "–"),
                          .number(m.metrics.rmse / p.metrics.rmse, 3)])
        }
        section.table(table)
        if let chartOf, let r = variants.first(where: { $0.name == chartOf })?.result {
            section.figure(ExperimentCharts.testPeriod(r), caption: "Test period of the \(chartOf) variant: \(ExperimentCharts.testLines(r)).")
        }
        return section
    }

    /// The variant's test metrics for `metrics.json`.
    public static func json(_ r: ExperimentResult) -> [String: Any] {
        var test: [String: Any] = [:]
        for m in r.methods { test[m.name] = JSONOutput.metrics(m.metrics) }
        return ["model_spec": r.setup.model, "transform": r.setup.transform.rawValue, "lookback": r.setup.lookback,
                "epochs": r.history.epochsRun, "train_seconds": r.trainSeconds, "test": test,
                "calendar": r.setup.calendar.map(\.rawValue), "scale_on_all_data": r.setup.scaleOnAllData]
    }
}
