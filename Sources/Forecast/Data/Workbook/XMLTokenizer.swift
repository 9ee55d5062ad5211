/// Why an XML part could not be tokenized; `line` is 1-based.
struct XMLSyntaxError: Error, CustomStringConvertible {
    let line: Int
    let reason: String
    var description: String { "invalid XML at line \(line): \(reason)" }
}

/// One event of the pull tokenizer.
enum XMLEvent: Equatable {
    /// `<name a="v">` or `<name/>` (the latter is followed by `.end`). Names keep their prefix.
    case start(name: String, attributes: [String: String])
    case end(name: String)
    /// Character data with entities decoded (CDATA sections included as they are).
    case text(String)
}

/// A pull tokenizer for the XML that spreadsheet parts use: elements, attributes, character
/// data, entity and character references, CDATA, comments, processing instructions (skipped).
///
/// It exists because Foundation's `XMLParser` on Linux crashes on some well-formed input
/// (a processing instruction without data) and traps on non-UTF-8 names; this one reads
/// bytes, checks UTF-8 itself, refuses DTDs (no entity expansion), checks that tags nest,
/// and never recurses, so no input can crash it or make it allocate more than its input.
struct XMLTokenizer {
    private let bytes: [UInt8]
    private var p = 0
    private var line = 1
    private var open: [String] = []
    private var pendingEnd: String?
    /// The deepest nesting accepted.
    static let maxDepth = 256

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next event, or nil at the end of a well-formed document.
    mutating func next() throws -> XMLEvent? {
        if let name = pendingEnd { pendingEnd = nil; return .end(name: name) }
        while p < bytes.count {
            if bytes[p] != 0x3C {   // '<'
                let text = try characterData()
                if !text.isEmpty { return .text(text) }
                continue
            }
            if starts(with: "<?") { try skip(past: "?>", what: "processing instruction"); continue }
            if starts(with: "<!--") { try skip(past: "-->", what: "comment"); continue }
            if starts(with: "<![CDATA[") {
                p += 9
                let begin = p
                try skip(past: "]]>", what: "CDATA section")
                return .text(try utf8(begin..<(p - 3)))
            }
            if starts(with: "<!") { throw error("document type declarations are not accepted") }
            if starts(with: "</") { return try endTag() }
            return try startTag()
        }
        if let unclosed = open.last { throw error("element <\(unclosed)> is not closed") }
        return nil
    }

    private func error(_ reason: String) -> XMLSyntaxError { XMLSyntaxError(line: line, reason: reason) }

    private func starts(with s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard p + n <= bytes.count else { return false }
        return s.withUTF8Buffer { prefix in (0..<n).allSatisfy { bytes[p + $0] == prefix[$0] } }
    }

    private mutating func skip(past terminator: StaticString, what: String) throws {
        let startLine = line
        while p < bytes.count {
            if starts(with: terminator) { p += terminator.utf8CodeUnitCount; return }
            if bytes[p] == 0x0A { line += 1 }
            p += 1
        }
        throw XMLSyntaxError(line: startLine, reason: "\(what) is not closed")
    }

    private func utf8(_ range: Range<Int>) throws -> String {
        guard let s = String(validating: bytes[range], as: UTF8.self) else { throw error("bytes that are not UTF-8") }
        return s
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x3E || b == 0x2F || b == 0x3D
          || b == 0x3C || b == 0x22 || b == 0x27)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private mutating func name() throws -> String {
        let begin = p
        while p < bytes.count, Self.isNameByte(bytes[p]) { p += 1 }
        guard p > begin else { throw error("expected a name") }
        return try utf8(begin..<p)
    }

    private mutating func spaces() {
        while p < bytes.count, Self.isSpace(bytes[p]) { if bytes[p] == 0x0A { line += 1 }; p += 1 }
    }

    private mutating func startTag() throws -> XMLEvent {
        p += 1
        let element = try name()
        var attributes: [String: String] = [:]
        while true {
            spaces()
            guard p < bytes.count else { throw error("tag <\(element)> is not closed") }
            if bytes[p] == 0x3E { p += 1; break }                                    // '>'
            if bytes[p] == 0x2F {                                                    // '/>'
                guard p + 1 < bytes.count, bytes[p + 1] == 0x3E else { throw error("expected '/>' in <\(element)>") }
                p += 2
                pendingEnd = element
                return .start(name: element, attributes: attributes)
            }
            let key = try name()
            spaces()
            guard p < bytes.count, bytes[p] == 0x3D else { throw error("expected '=' after attribute \(key)") }
            p += 1
            spaces()
            guard p < bytes.count, bytes[p] == 0x22 || bytes[p] == 0x27 else {
                throw error("expected a quoted value for attribute \(key)")
            }
            let quote = bytes[p]
            p += 1
            let begin = p
            while p < bytes.count, bytes[p] != quote {
                if bytes[p] == 0x3C { throw error("'<' in the value of attribute \(key)") }
                if bytes[p] == 0x0A { line += 1 }
                p += 1
            }
            guard p < bytes.count else { throw error("value of attribute \(key) is not closed") }
            let value = try decodeReferences(begin..<p)
            p += 1
            guard attributes.updateValue(value, forKey: key) == nil else { throw error("attribute \(key) appears twice") }
        }
        guard open.count < Self.maxDepth else { throw error("elements nested deeper than \(Self.maxDepth)") }
        open.append(element)
        return .start(name: element, attributes: attributes)
    }

    private mutating func endTag() throws -> XMLEvent {
        p += 2
        let element = try name()
        spaces()
        guard p < bytes.count, bytes[p] == 0x3E else { throw error("expected '>' to close </\(element)>") }
        p += 1
        guard let expected = open.popLast() else { throw error("</\(element)> closes no element") }
        guard expected == element else { throw error("</\(element)> closes <\(expected)>") }
        return .end(name: element)
    }

    private mutating func characterData() throws -> String {
        let begin = p
        while p < bytes.count, bytes[p] != 0x3C { if bytes[p] == 0x0A { line += 1 }; p += 1 }
        if open.isEmpty {
            guard bytes[begin..<p].allSatisfy(Self.isSpace) else { throw error("text outside the root element") }
            return ""
        }
        return try decodeReferences(begin..<p)
    }

    /// Replaces `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and `&#N;` / `&#xH;` in `range`.
    private func decodeReferences(_ range: Range<Int>) throws -> String {
        guard bytes[range].contains(0x26) else { return try utf8(range) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            guard bytes[i] == 0x26 else { out.append(bytes[i]); i += 1; continue }
            guard let semicolon = bytes[i..<range.upperBound].firstIndex(of: 0x3B), semicolon - i <= 12 else {
                throw error("'&' starts no entity reference")
            }
            let entity = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "lt": out.append(0x3C)
            case "gt": out.append(0x3E)
            case "amp": out.append(0x26)
            case "quot": out.append(0x22)
            case "apos": out.append(0x27)
            default:
                var digits = Substring(entity)
                var radix = 10
                guard digits.first == "#" else { throw error("unknown entity &\(entity);") }
                digits = digits.dropFirst()
                if digits.first == "x" { radix = 16; digits = digits.dropFirst() }
                guard let code = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(code), code != 0 else {
                    throw error("invalid character reference &\(entity);")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("bytes that are not UTF-8") }
        return s
    }
}
