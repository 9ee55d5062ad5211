import ArgumentParser
import Recurrent

/// The CLI's words for `TrainingDiverged`: the library reports what to try as data
/// (`DivergenceRemedy`), and the command names its own flag for it when it has one.
enum DivergenceText {
    /// The one-line error for `diverged` raised while running `command`.
    static func line(_ diverged: TrainingDiverged, command: ParsableCommand.Type) -> String {
        let flags = UsageHint.optionNames(of: command)
        switch diverged.remedy {
        case .clipGradientNorm(let limit) where flags.contains("--clip-norm"):
            return diverged.message(remedy: "try clipping: --clip-norm \(limit)")
        case .lowerLearningRate(let rate) where flags.contains("--lr"):
            return diverged.message(remedy: "try a lower --lr (now \(rate))")
        case .lowerLearningRate(let rate) where flags.contains("--learning-rate"):
            return diverged.message(remedy: "try a lower --learning-rate (now \(rate))")
        default:
            return diverged.message
        }
    }
}
