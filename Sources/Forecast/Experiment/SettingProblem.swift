/// A setting of the forecasting workflow, as errors name it. The library calls each by its
/// own name (`name`); a front end names them its way (the CLI: by flag) through `SettingNames`.
public enum ForecastSetting: String, Sendable, CaseIterable {
    case dataFiles, station, fillGaps, from, to, frequency, resample
    case horizon, transform, direct, features, futureFeatures, columns, onLinearARX
    case backtestStart, seeds, shard, studyTarget, outputFolder

    /// The setting in library terms.
    public var name: String {
        switch self {
        case .dataFiles: return "data files"
        case .station: return "station"
        case .fillGaps: return "gap-filling limit"
        case .from: return "start date"
        case .to: return "end date"
        case .frequency: return "frequency"
        case .resample: return "resampling"
        case .horizon: return "horizon"
        case .transform: return "transform"
        case .direct: return "direct multi-step head"
        case .features: return "past covariates"
        case .futureFeatures: return "future-known covariates"
        case .columns: return "series columns"
        case .onLinearARX: return "network on the linear ARX"
        case .backtestStart: return "backtest start"
        case .seeds: return "seeds"
        case .shard: return "shard"
        case .studyTarget: return "study target"
        case .outputFolder: return "output folder"
        }
    }
}

/// How a message names a setting, and a setting given a value (`horizon 1` or `--horizon 1`).
public struct SettingNames: Sendable {
    public var name: @Sendable (ForecastSetting) -> String
    public var assignment: @Sendable (ForecastSetting, String) -> String

    public init(name: @escaping @Sendable (ForecastSetting) -> String,
                assignment: @escaping @Sendable (ForecastSetting, String) -> String) {
        self.name = name
        self.assignment = assignment
    }

    /// Library terms: `horizon`, `horizon 1`.
    public static let library = SettingNames(name: { $0.name }, assignment: { "\($0.name) \($1)" })
}

/// A forecasting setting that cannot work as given, with the data to explain it. `description`
/// names the settings in library terms; a front end calls `text(_:)` with its own names.
public enum SettingProblem: Error, Equatable, Sendable, CustomStringConvertible {
    // The experiment set-up.
    case linearARXNeedsOneStepLevels
    case globalModelTakesNoCovariates
    case futureFeaturesNeedOneStep
    case recursiveForecastNeedsFutureInputs(steps: Int, features: [String])
    case noFutureForecastOnLinearARX
    case futureValuesMissing(features: [String])
    case arrayCannotUndoTransform(TransformKind, target: String)
    case arrayNeedsCalendarInputs([CalendarInput])
    // Reading the data.
    case negativeGapFill(Int)
    case badDate(ForecastSetting, text: String)
    case noDataFiles
    case irregularTimeStamps(files: [String], reason: String)
    case irregularAfterCleaning(files: [String], reason: String)
    case stationNeeded
    // Backtests and studies.
    case tooFewTrainingWindows(fold: Int, windows: Int)
    case seedsOutOfRange(Int, max: Int)
    case seedsCannotShrink(folder: String, stored: Int)
    case differentStudy(folder: String, planFile: String)
    case shardOutOfRange(index: Int, count: Int)
    case dailyDataForHourlyTarget(file: String)

    public var description: String { text(.library) }

    /// The message, naming settings with `names`; one line.
    public func text(_ names: SettingNames) -> String {
        let n = names.name, set = names.assignment
        switch self {
        case .linearARXNeedsOneStepLevels:
            return "invalid setup: a network on the linear model forecasts one step of the levels: use \(set(.horizon, "1")) and \(set(.transform, "none"))"
        case .globalModelTakesNoCovariates:
            return "invalid setup: a global model takes no covariates (\(n(.features)), \(n(.futureFeatures))); give the series with \(n(.columns)) only"
        case .futureFeaturesNeedOneStep:
            return "invalid setup: future-known features are given for one step ahead: use \(set(.horizon, "1")) with \(n(.futureFeatures))"
        case let .recursiveForecastNeedsFutureInputs(steps, features):
            return "invalid setup: a recursive forecast of \(steps) steps needs every input in the future; with extra features (\(features.joined(separator: ", "))) use a \(n(.direct))"
        case .noFutureForecastOnLinearARX:
            return "invalid setup: a forecast past the end of the data is not available for a model trained with \(n(.onLinearARX)); evaluate it on data instead"
        case let .futureValuesMissing(features):
            return "invalid setup: a forecast past the end of the data needs the future values of \(features.joined(separator: ", ")), which the data does not hold; a model with \(n(.futureFeatures)) is evaluated on data, not forecast past it"
        case let .arrayCannotUndoTransform(transform, target):
            return "incompatible model: this forecasting model predicts the \(transform) of \(target), which a bare array cannot be turned back into levels; forecast from the data with its time stamps instead (or pass the scaled values raw)"
        case let .arrayNeedsCalendarInputs(calendar):
            return "incompatible model: this forecasting model takes calendar inputs (\(calendar.map(\.rawValue).joined(separator: ","))) computed from time stamps; forecast from the data with its time stamps instead (or pass inputs already prepared, raw)"
        case .negativeGapFill(let n2):
            return "\(n(.fillGaps)) must be 0 or more, got \(n2)"
        case let .badDate(setting, text):
            return "\(n(setting)) expects a date such as 2021-01-01, got '\(text)'"
        case .noDataFiles:
            return "no data file given (\(n(.dataFiles)))"
        case let .irregularTimeStamps(files, reason):
            return "\(files.joined(separator: ", ")): \(reason); give \(n(.frequency)) (\(Frequency.knownNames)), \(set(.resample, "daily")), or \(set(.frequency, "steps")) to treat rows as plain steps"
        case let .irregularAfterCleaning(files, reason):
            return "\(files.joined(separator: ", ")): \(reason) (give \(n(.frequency)), or \(set(.resample, "daily")))"
        case .stationNeeded:
            return "GIOŚ data needs \(n(.station)) (a station code such as MpKrakZloRog or a position code)"
        case let .tooFewTrainingWindows(fold, windows):
            return "not enough data: fold \(fold) has \(windows) training windows; start the backtest later (\(n(.backtestStart)))"
        case let .seedsOutOfRange(seeds, max):
            return "\(n(.seeds)) must be between 1 and \(max), got \(seeds)"
        case let .seedsCannotShrink(folder, stored):
            return "\(folder) already holds \(stored) seeds; \(n(.seeds)) can only grow (give \(set(.seeds, "\(stored)")) or more)"
        case let .differentStudy(folder, planFile):
            return "\(folder) holds a different study (\(planFile) differs from this command's data, target, lookback, horizon or grid); use another \(n(.outputFolder)) or the same settings"
        case let .shardOutOfRange(index, count):
            return "\(n(.shard)) must be i/n with 1 ≤ i ≤ n, got \(index)/\(count)"
        case .dailyDataForHourlyTarget(let file):
            return "\(file) has one row a day; \(set(.studyTarget, "hourly")) needs hourly data (use \(set(.studyTarget, "daily")))"
        }
    }
}

/// A parameter of a demo or study (a property of its options, such as `pointsPerClass`) that
/// is out of range or unreadable: which one, what it must be and what was given. `description`
/// names the parameter in words (`points per class`); the CLI names its flag.
public struct ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The property's name, e.g. `pointsPerClass`.
    public var parameter: String
    /// What it must be, e.g. `at least 4`, `positive`.
    public var requirement: String
    /// The value given, as written in the message.
    public var given: String

    public init(_ parameter: String, mustBe requirement: String, got given: some CustomStringConvertible) {
        self.parameter = parameter
        self.requirement = requirement
        self.given = "\(given)"
    }

    /// `pointsPerClass` → `points per class`.
    public static func words(_ name: String) -> String {
        name.reduce(into: "") { out, c in out += c.isUppercase ? " " + c.lowercased() : String(c) }
    }

    /// The message with the parameter called `name`.
    public func text(calling name: String) -> String { "\(name) must be \(requirement), got \(given)" }

    public var description: String { text(calling: Self.words(parameter)) }
}

/// Throws a `ParameterError` unless `value ≥ minimum` (`parameter`: the property's name).
/// Public so that demos in other targets check their options the same way.
public func requireAtLeast(_ value: Int, _ minimum: Int, _ parameter: String) throws {
    guard value >= minimum else { throw ParameterError(parameter, mustBe: "at least \(minimum)", got: value) }
}

/// Throws a `ParameterError` unless `value` is positive and finite (`parameter`: the property's name).
public func requirePositive<V: BinaryFloatingPoint & CustomStringConvertible>(_ value: V, _ parameter: String) throws {
    guard value > 0, value.isFinite else { throw ParameterError(parameter, mustBe: "positive", got: value) }
}
