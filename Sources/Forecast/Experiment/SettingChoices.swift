import Foundation
import Recurrent

/// A setting with a fixed set of named values. The raw value is the name stored in model
/// files and study grids (the strings these settings were before they became types, so old
/// files keep loading); `aliases` are other spellings accepted when reading.
public protocol NamedChoice: RawRepresentable, CaseIterable, Codable, Hashable, Sendable, CustomStringConvertible
where RawValue == String {
    /// Other accepted spellings (e.g. `diff` for `difference`), lower case.
    static var aliases: [String: Self] { get }
}

extension NamedChoice {
    public static var aliases: [String: Self] { [:] }

    /// The value `name` (any case) or one of its aliases names; nil when unknown.
    public init?(name: String) {
        let key = name.lowercased()
        guard let value = Self(rawValue: key) ?? Self.aliases[key] else { return nil }
        self = value
    }

    public var description: String { rawValue }

    /// Every canonical name, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// `a, b or c`, for messages.
    public static var listed: String {
        let all = names
        return all.count < 2 ? all.joined() : all.dropLast().joined(separator: ", ") + " or " + all.last!
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(name: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected \(Self.listed), got '\(text)'")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The optimizer that trains a forecasting model.
public enum OptimizerKind: String, NamedChoice {
    case adam, adamw, sgd, rmsprop
}

/// The training loss of a forecasting model (regression losses only).
public enum LossKind: String, NamedChoice {
    case mse, mae, huber

    public static var aliases: [String: LossKind] {
        ["mean_squared_error": .mse, "meansquarederror": .mse, "mean_absolute_error": .mae, "meanabsoluteerror": .mae]
    }

    /// The engine's loss.
    public var loss: Loss {
        switch self {
        case .mse: return .meanSquaredError
        case .mae: return .meanAbsoluteError
        case .huber: return .huber()
        }
    }
}

/// How inputs and target are scaled: to [0, 1], or to z-scores.
public enum ScalerKind: String, NamedChoice {
    case minmax, standard
}

/// What the model predicts instead of levels; `auto` picks `difference` or `none` with a
/// unit-root test on the training rows (`Experiment.run` resolves it).
public enum TransformKind: String, NamedChoice {
    case none, difference, logReturn = "log-return", auto

    public static var aliases: [String: TransformKind] { ["diff": .difference, "logreturn": .logReturn] }

    /// The transform applied to the target (`auto` unresolved means none).
    public var targetTransform: TargetTransform {
        switch self {
        case .difference: return .difference
        case .logReturn: return .logReturn
        case .none, .auto: return .none
        }
    }
}

/// How prediction intervals are calibrated on the validation part.
public enum IntervalMethod: String, NamedChoice {
    /// Split conformal on errors scaled by each window's recent mean absolute change.
    case adaptive
    /// Plain split conformal.
    case conformal
    case none
}

/// What a window does with a missing covariate value.
public enum FeatureGapPolicy: String, NamedChoice {
    /// Windows touching a missing value are left out.
    case skip
    /// The last observed value is carried forward (past values only).
    case carry
}

/// A calendar input, given to the model as a sin/cos pair.
public enum CalendarInput: String, NamedChoice {
    case hour, weekday, month

    var feature: CalendarFeatures {
        switch self {
        case .hour: return .hour
        case .weekday: return .weekday
        case .month: return .month
        }
    }
}

/// The layout of data files.
public enum SeriesFormat: String, NamedChoice {
    /// A time column, then value columns.
    case csv
    /// NBP table A archives.
    case nbp
    /// GIOŚ workbooks or CSV exports.
    case gios
    /// `series,time,value` rows of several series.
    case long
}

/// How rows are aggregated before the calendar grid is fixed.
public enum ResampleKind: String, NamedChoice {
    /// Hourly values → daily means.
    case daily
}

/// The calendar a series is read on: a `Frequency`, or plain steps (dates ignored). Stored
/// as the frequency's name or `steps`; `init(name:)` is the one parser of these names.
public enum SeriesCalendar: Hashable, Sendable, Codable, CustomStringConvertible {
    case steps
    case frequency(Frequency)

    /// `steps` or any name `Frequency(name:)` knows; nil otherwise.
    public init?(name: String) {
        if name.lowercased() == "steps" { self = .steps; return }
        guard let f = Frequency(name: name) else { return nil }
        self = .frequency(f)
    }

    /// The frequency, nil for plain steps.
    public var frequency: Frequency? {
        if case .frequency(let f) = self { return f }
        return nil
    }

    public var description: String { frequency?.description ?? "steps" }

    /// The canonical names, for help texts.
    public static let names = ["15min", "30min", "hourly", "daily", "business-day", "business-day-pl", "weekly",
                               "monthly", "monthly-end", "quarterly", "quarterly-end", "yearly", "yearly-end", "steps"]

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = SeriesCalendar(name: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a frequency (\(Frequency.knownNames)), got '\(text)'")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Frequency: Codable {
    /// Reads a frequency name (`Frequency(name:)`).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Frequency(name: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a frequency (\(Frequency.knownNames)), got '\(text)'")
        }
        self = value
    }

    /// Writes the canonical name (`description`).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension KeyedDecodingContainer {
    /// An optional frequency where `steps` (plain steps, the name model files may hold for
    /// "no calendar") reads as nil. Synthesized decoders in this module (`ExperimentSetup`)
    /// pick this overload over the generic one.
    func decodeIfPresent(_ type: Frequency.Type, forKey key: Key) throws -> Frequency? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let calendar = SeriesCalendar(name: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a frequency (\(Frequency.knownNames)), got '\(text)'")
        }
        return calendar.frequency
    }
}
