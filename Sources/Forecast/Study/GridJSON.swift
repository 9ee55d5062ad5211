import Foundation

/// A JSON value with its type kept exactly: `true` is a boolean and `1` a number, whatever
/// the platform's `JSONSerialization` bridging does (on Linux it turns 0 and 1 into booleans
/// and booleans into 0 and 1, so `"learningRate": 1` was refused and `"epochs": true` taken).
enum GridJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([GridJSON])
    case object([String: GridJSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([GridJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: GridJSON].self)) }
    }

    /// Parses `data`; the error text is the decoder's.
    static func parse(_ data: Data) throws -> GridJSON {
        try JSONDecoder().decode(GridJSON.self, from: data)
    }

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var number: Double? { if case .number(let d) = self { return d }; return nil }
    var integer: Int? { number.flatMap { Int(exactly: $0) } }
    var array: [GridJSON]? { if case .array(let a) = self { return a }; return nil }
    var object: [String: GridJSON]? { if case .object(let o) = self { return o }; return nil }
    var strings: [String]? { array.flatMap { a in a.allSatisfy { $0.string != nil } ? a.compactMap(\.string) : nil } }
}
