import Foundation

/// A grid setting that is missing, unknown or of the wrong type: one line naming the key and
/// what it must be (`StudyGrid.parse` adds the file).
struct GridFieldError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }

    /// Throws for the first key (in sorted order) of the object being decoded that is not
    /// one of `allowed`; `place` prefixes the message (e.g. `architecture 2: `).
    static func refuseUnknownKeys<Key: CodingKey & CaseIterable>(_ decoder: Decoder, allowed: Key.Type, place: String) throws {
        let names = Set(Key.allCases.map(\.stringValue))
        let present = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        for key in present.sorted() where !names.contains(key) {
            throw GridFieldError(place + "unknown key '\(key)' (allowed: \(names.sorted().joined(separator: ", ")))")
        }
    }

    /// The grid error inside `error`, when a decoder wrapped it (Yams wraps what
    /// `init(from:)` throws in a `DecodingError`).
    static func unwrap(_ error: Error) -> GridFieldError? {
        if let e = error as? GridFieldError { return e }
        switch error as? DecodingError {
        case .dataCorrupted(let c)?, .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .keyNotFound(_, let c)?:
            return c.underlyingError.flatMap(unwrap)
        default: return nil
        }
    }

    /// The first line of what a decoder said about malformed text.
    static func summary(of error: Error) -> String {
        var text = "\(error)"
        if case DecodingError.dataCorrupted(let context) = error {
            text = context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}

extension KeyedDecodingContainer {
    /// The value under `key`, nil when the key is absent; a value of the wrong type throws
    /// `'key' must be <expected>` (with the offending name for a named choice).
    func field<T: Decodable>(_ type: T.Type, _ key: Key, _ expected: String, place: String = "") throws -> T? {
        guard contains(key) else { return nil }
        do {
            return try decode(T.self, forKey: key)
        } catch {
            if let e = GridFieldError.unwrap(error) { throw e }
            var got = ""
            if case DecodingError.dataCorrupted(let context) = error, let r = context.debugDescription.range(of: ", got ") {
                got = String(context.debugDescription[r.lowerBound...])
            }
            throw GridFieldError(place + "'\(key.stringValue)' must be \(expected)\(got)")
        }
    }
}
