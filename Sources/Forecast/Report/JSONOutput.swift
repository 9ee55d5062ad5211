import Foundation

/// The JSON that commands print with `--json` and write as `metrics.json`, encoded by
/// `JSONEncoder` (the one JSON writer): sorted keys, pretty, `/` unescaped, NaN and
/// infinities as `null` (`JSONNumber`), and a `Float` written as its shortest decimal
/// (`0.01`, not the `0.009999999776482582` of its Double).
public enum JSONOutput {
    /// Pretty, key-sorted JSON text of any `Encodable` value.
    public static func string(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Pretty, key-sorted JSON text of a tree of dictionaries, arrays, strings, numbers,
    /// bools and `Encodable`-free leaves (`JSONValue(any:)`).
    public static func string(_ value: Any) -> String { string(JSONValue(any: value)) }

    /// The Double nearest to the shortest decimal that reads back as `f`.
    public static func shortest(_ f: Float) -> Double { Double(f.description) ?? Double(f) }

    /// The metrics object of one method: `{"rmse", "mae", "mape", "smape", "r2", "mase", "count"}`.
    public static func metrics(_ m: ForecastMetrics) -> MethodMetrics { MethodMetrics(m) }

    /// One method's test metrics as `metrics.json` writes them.
    public struct MethodMetrics: Encodable, Sendable {
        public var rmse, mae, mape, smape, r2, mase: JSONNumber
        public var count: Int
        /// Backtests: the mean of the folds' RMSEs and the folds where the method beats persistence.
        public var meanFoldRMSE: JSONNumber?
        public var foldsBeatingPersistence: Int?

        enum CodingKeys: String, CodingKey {
            case rmse, mae, mape, smape, r2, mase, count
            case meanFoldRMSE = "mean_fold_rmse", foldsBeatingPersistence = "folds_beating_persistence"
        }

        public init(_ m: ForecastMetrics) {
            rmse = JSONNumber(m.rmse); mae = JSONNumber(m.mae); mape = JSONNumber(m.mape)
            smape = JSONNumber(m.smape); r2 = JSONNumber(m.r2); mase = JSONNumber(m.mase)
            count = m.count
        }
    }
}

/// A number in JSON output: a non-finite value (a metric with no defined value) is `null`.
public struct JSONNumber: Encodable, Sendable, Equatable {
    public var value: Double

    public init(_ value: Double) { self.value = value }
    /// A `Float`, written as its shortest decimal.
    public init(_ value: Float) { self.value = value.isFinite ? JSONOutput.shortest(value) : Double(value) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if value.isFinite { try c.encode(value) } else { try c.encodeNil() }
    }
}

/// Any JSON value, for output whose keys are data (method names, series names) or that a
/// caller extends; `init(any:)` takes the dictionaries and arrays older code builds.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Converts a tree of `[String: Any]`, `[Any]`, strings, numbers, bools, optionals and
    /// `Encodable` values (encoded and read back); anything else becomes its description.
    public init(any value: Any) {
        switch value {
        case let v as JSONValue: self = v
        case Optional<Any>.none: self = .null
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .int(i)
        case let i as Int32: self = .int(Int(i))
        case let i as Int64: self = .int(Int(i))
        case let i as UInt64: self = i <= UInt64(Int.max) ? .int(Int(i)) : .number(Double(i))
        case let i as UInt: self = i <= UInt(Int.max) ? .int(Int(i)) : .number(Double(i))
        case let d as Double: self = d.isFinite ? .number(d) : .null
        case let f as Float: self = f.isFinite ? .number(JSONOutput.shortest(f)) : .null
        case let s as String: self = .string(s)
        case let s as Substring: self = .string(String(s))
        case let d as [String: Any]: self = .object(d.mapValues(JSONValue.init(any:)))
        case let a as [Any]: self = .array(a.map(JSONValue.init(any:)))
        case let e as any Encodable: self = JSONValue(encoding: e)
        default:
            // An optional holding a value arrives here as `Any`; unwrap it.
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                self = mirror.children.first.map { JSONValue(any: $0.value) } ?? .null
            } else {
                self = .string("\(value)")
            }
        }
    }

    /// An `Encodable` value as the tree `JSONEncoder` would write.
    private init(encoding value: any Encodable) {
        guard let data = try? JSONEncoder().encode(value),
              let tree = try? JSONDecoder().decode(JSONValue.self, from: data) else { self = .string("\(value)"); return }
        self = tree
    }

    /// Reads any JSON value; integers stay integers.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .number(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
