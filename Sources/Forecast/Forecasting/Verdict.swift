import Foundation

/// Whether the model beats the baselines, decided once and worded the same way everywhere:
/// on the terminal, in `metrics.json` and in the reports.
///
/// The model is judged against the BEST baseline (the lowest test RMSE among the baselines);
/// persistence is reported as well, by name, because it is the baseline people quote.
public struct Verdict: Sendable, Equatable {
    public var modelRMSE: Double
    /// The baseline with the lowest RMSE.
    public var bestBaseline: String
    public var bestBaselineRMSE: Double
    /// Persistence's RMSE, when persistence was evaluated.
    public var persistenceRMSE: Double?

    /// Builds the verdict from every method's RMSE; `model` must be among them, with at least
    /// one baseline. Baselines with a non-finite RMSE are ignored.
    public init?(rmse: [(name: String, rmse: Double)]) {
        guard let model = rmse.first(where: { $0.name == "model" }) else { return nil }
        let baselines = rmse.filter { $0.name != "model" && $0.rmse.isFinite }
        guard let best = baselines.min(by: { $0.rmse < $1.rmse }) else { return nil }
        modelRMSE = model.rmse
        bestBaseline = best.name
        bestBaselineRMSE = best.rmse
        persistenceRMSE = baselines.first { $0.name == "persistence" }?.rmse
    }

    /// True when the model's RMSE is strictly below every baseline's.
    public var modelWins: Bool { modelRMSE < bestBaselineRMSE }

    /// Model RMSE / persistence RMSE (below 1: the model beats persistence).
    public var ratioToPersistence: Double? {
        guard let p = persistenceRMSE, p > 0 else { return nil }
        return modelRMSE / p
    }

    /// How much lower (positive) or higher (negative) the model's RMSE is than the best
    /// baseline's, in percent of the baseline's.
    public var percentBelowBest: Double {
        bestBaselineRMSE > 0 ? (bestBaselineRMSE - modelRMSE) / bestBaselineRMSE * 100 : 0
    }

    /// One line for the terminal, naming the winner.
    public var line: String {
        var text: String
        if modelWins {
            text = String(format: "Verdict: the model wins (RMSE %@, %.1f%% below the best baseline, %@ %@)",
                          Verdict.format(modelRMSE), percentBelowBest, bestBaseline, Verdict.format(bestBaselineRMSE))
        } else {
            text = String(format: "Verdict: %@ beats the model (RMSE %@ against %@, the model %.1f%% worse)",
                          bestBaseline, Verdict.format(bestBaselineRMSE), Verdict.format(modelRMSE), -percentBelowBest)
        }
        if bestBaseline == "persistence" && !modelWins {
            text += ratioToPersistence.map { String(format: "; model / persistence RMSE = %.3f", $0) } ?? ""
        } else {
            text += persistencePart.map { "; \($0)" } ?? ""
        }
        return text + "."
    }

    /// The report's sentence, with the unit.
    public func sentence(unit: String = "") -> String {
        let u = unit.isEmpty ? "" : " \(unit)"
        var text: String
        if modelWins {
            text = "The model beats every baseline: its test RMSE is \(Verdict.format(modelRMSE))\(u), "
                + String(format: "%.1f%%", percentBelowBest)
                + " below the best baseline (\(bestBaseline), \(Verdict.format(bestBaselineRMSE))\(u))."
        } else {
            text = "The model does NOT beat the best baseline: \(bestBaseline) has a test RMSE of \(Verdict.format(bestBaselineRMSE))\(u) "
                + "against the model's \(Verdict.format(modelRMSE))\(u) (the model is " + String(format: "%.1f%%", -percentBelowBest) + " worse)."
        }
        if let p = persistencePart, bestBaseline != "persistence" || modelWins {
            text += " Against persistence alone: \(p)."
        }
        return text
    }

    /// `model / persistence = 0.937 (the model beats persistence)`.
    var persistencePart: String? {
        guard let ratio = ratioToPersistence else { return nil }
        return String(format: "model / persistence RMSE = %.3f (%@)", ratio,
                      ratio < 1 ? "the model beats persistence" : "persistence beats the model")
    }

    static func format(_ v: Double) -> String {
        let a = abs(v)
        if a != 0 && (a >= 1e5 || a < 1e-3) { return String(format: "%.3e", v) }
        return String(format: a >= 100 ? "%.2f" : (a >= 1 ? "%.3f" : "%.4f"), v)
    }
}

extension ExperimentResult {
    /// The model against the best baseline and persistence on the test part.
    public var verdict: Verdict? { Verdict(rmse: methods.map { ($0.name, $0.metrics.rmse) }) }
}

extension BacktestResult {
    /// The model against the best baseline and persistence, all folds pooled.
    public var verdict: Verdict? { Verdict(rmse: summary.map { ($0.name, $0.pooled.rmse) }) }
}
