import Foundation

/// Building blocks of the JSON that commands print with `--json` and write as
/// `metrics.json`: sorted keys, NaN and infinities as `null`, `/` unescaped, and a `Float`
/// written as its shortest decimal (`0.01`, not the `0.009999999776482582` of its Double).
public enum JSONOutput {
    /// Pretty, key-sorted JSON text of a tree of dictionaries, arrays, strings, numbers, bools.
    public static func string(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: sanitized(value), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func sanitized(_ value: Any) -> Any {
        switch value {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let f as Float: return f.isFinite ? shortest(f) : NSNull()
        case let dict as [String: Any]: return dict.mapValues(sanitized)
        case let list as [Any]: return list.map(sanitized)
        case Optional<Any>.none: return NSNull()
        default: return value
        }
    }

    /// The Double nearest to the shortest decimal that reads back as `f`.
    public static func shortest(_ f: Float) -> Double { Double(f.description) ?? Double(f) }

    /// The metrics object of one method: `{"rmse", "mae", "mape", "smape", "r2", "mase"}`.
    public static func metrics(_ m: ForecastMetrics) -> [String: Any] {
        ["rmse": m.rmse, "mae": m.mae, "mape": m.mape, "smape": m.smape, "r2": m.r2, "mase": m.mase, "count": m.count]
    }
}
