import Forecast

/// The CLI's words for the library's settings: each `ForecastSetting` is told as its flag,
/// and a `SettingProblem` as a line naming flags (and, where the library says "forecast from
/// the data", the command that does it).
enum SettingFlags {
    static func flag(_ setting: ForecastSetting) -> String {
        switch setting {
        case .dataFiles: return "--data PATH"
        case .station: return "--station"
        case .fillGaps: return "--fill-gaps"
        case .from: return "--from"
        case .to: return "--to"
        case .frequency: return "--frequency"
        case .resample: return "--resample"
        case .horizon: return "--horizon"
        case .transform: return "--transform"
        case .direct: return "--direct"
        case .features: return "--features"
        case .futureFeatures: return "--future-features"
        case .columns: return "--columns"
        case .onLinearARX: return "--on-linear-arx"
        case .backtestStart: return "--start"
        case .seeds: return "--seeds"
        case .shard: return "--shard"
        case .studyTarget: return "--target"
        case .outputFolder: return "--out"
        }
    }

    static let names = SettingNames(name: { flag($0) }, assignment: { "\(flag($0)) \($1)" })

    /// Options whose flag is not the kebab-case of the library parameter's name.
    static let parameterFlags = ["trainCount": "--train", "testCount": "--test", "pointsPerClass": "--points", "initSchemes": "--init"]

    /// The flag of a demo or study parameter: `trainSamples` → `--train-samples` unless listed.
    static func flag(parameter: String) -> String {
        parameterFlags[parameter] ?? "--" + parameter.reduce(into: "") { out, c in out += c.isUppercase ? "-" + c.lowercased() : String(c) }
    }

    /// The setting or parameter problem inside `error`, told with flags; nil for any other error.
    static func describe(_ error: Error) -> String? {
        if let p = error as? ParameterError { return p.text(calling: flag(parameter: p.parameter)) }
        let problem: SettingProblem
        if let p = error as? SettingProblem {
            problem = p
        } else if case .setting(let p)? = error as? ExperimentError {
            problem = p
        } else {
            return nil
        }
        switch problem {
        case let .recursiveForecastNeedsFutureInputs(steps, features):
            return "invalid setup: a recursive forecast of \(steps) steps needs every input in the future; with extra features (\(features.joined(separator: ", "))) use a direct model (--direct)"
        case let .arrayCannotUndoTransform(transform, target):
            return "incompatible model: this forecasting model predicts the \(transform) of \(target), which a bare array cannot be turned back into levels; use rnn forecast --model M --data FILE --out DIR (or --raw for the scaled values)"
        case .arrayNeedsCalendarInputs(let calendar):
            return "incompatible model: this forecasting model takes calendar inputs (\(calendar.map(\.rawValue).joined(separator: ","))) computed from time stamps; use rnn forecast --model M --data FILE --out DIR (or --raw with the inputs already prepared)"
        default:
            return problem.text(names)
        }
    }
}
