/// What to try after training diverged, as data: a front end words it in its own terms
/// (the `rnn` CLI names its flags).
public enum DivergenceRemedy: Sendable, Equatable, CustomStringConvertible {
    /// Training ran unclipped: clip the global gradient norm at this limit.
    case clipGradientNorm(Float)
    /// Training was already clipped: lower the learning rate, which was `current`.
    case lowerLearningRate(current: Float)

    /// The library's wording, e.g. `try gradient clipping by global norm 1.0`.
    public var description: String {
        switch self {
        case .clipGradientNorm(let limit): return "try gradient clipping by global norm \(limit)"
        case .lowerLearningRate(let rate): return "try a lower learning rate (now \(ProgressFormatter.number(Double(rate))))"
        }
    }
}

/// Training stopped because a value became NaN or infinite. The model holds the weights of
/// the end of the last good epoch (or of the start of `fit`); `history` covers the completed
/// epochs. Every `fit` keeps this contract.
public struct TrainingDiverged: Error, CustomStringConvertible, Sendable {
    /// What became non-finite, where and when, e.g. `non-finite gradient in
    /// layers.2.weight_hh_l0 (LSTM) at epoch 3, batch 17`.
    public var problem: String
    /// What to try next.
    public var remedy: DivergenceRemedy
    /// The epoch whose end the weights were restored to (counted from 1), or nil when they
    /// are those of the start of `fit`.
    public var restoredEpoch: Int?
    public var history: History

    public init(problem: String, remedy: DivergenceRemedy, restoredEpoch: Int?, history: History) {
        self.problem = problem
        self.remedy = remedy
        self.restoredEpoch = restoredEpoch
        self.history = history
    }

    /// The whole report in the library's words: problem; remedy; what was restored.
    public var message: String { message(remedy: remedy.description) }

    /// The report with the remedy worded by the caller, e.g. a command-line flag.
    public func message(remedy wording: String) -> String {
        problem + "; " + wording
            + (restoredEpoch.map { "; weights restored to the end of epoch \($0)" } ?? "; the weights from the start of fit were restored")
    }

    public var description: String { message }

    /// The error for a divergence found in `epoch` (from 0) of a run at `learningRate`.
    init(_ d: Divergence, epoch: Int, clipping: GradientClipping?, learningRate: Float, restoredToStart: Bool, history: History) {
        self.init(problem: d.problem + " at epoch \(epoch + 1)" + (d.batch.map { ", batch \($0 + 1)" } ?? ""),
                  remedy: clipping == nil ? .clipGradientNorm(1) : .lowerLearningRate(current: learningRate),
                  restoredEpoch: restoredToStart ? nil : epoch, history: history)
    }
}
