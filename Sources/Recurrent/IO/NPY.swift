import Foundation

/// Why a `.npy` file could not be read or written. Every message starts with the file.
public enum NPYError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    /// Not a NumPy file (empty, or no `\x93NUMPY` magic).
    case notNPY(file: String, reason: String)
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(file: String, major: UInt8, minor: UInt8)
    /// The header dictionary does not parse or lacks a key.
    case invalidHeader(file: String, reason: String)
    /// A dtype Recurrent does not read (object, big-endian, structured, strings...).
    case unsupportedDType(file: String, descr: String, reason: String)
    /// Fortran (column-major) order.
    case fortranOrder(file: String)
    /// Fewer data bytes than the shape needs.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// More data bytes than the shape needs.
    case trailingData(file: String, expectedBytes: Int, actualBytes: Int)

    public var description: String {
        switch self {
        case let .unreadable(f, r): return "\(f): cannot read: \(r)"
        case let .notNPY(f, r): return "\(f): not a NumPy .npy file: \(r)"
        case let .unsupportedVersion(f, a, b): return "\(f): .npy format version \(a).\(b) is not supported (1.0, 2.0 and 3.0 are)"
        case let .invalidHeader(f, r): return "\(f): invalid .npy header: \(r)"
        case let .unsupportedDType(f, d, r): return "\(f): dtype '\(d)' is not supported: \(r)"
        case let .fortranOrder(f): return "\(f): fortran_order True (column-major) arrays are not supported; save with np.ascontiguousarray"
        case let .truncated(f, e, a): return "\(f): truncated: the shape needs \(e) bytes of data, file has \(a)"
        case let .trailingData(f, e, a): return "\(f): the shape needs \(e) bytes of data, file has \(a) (unexpected trailing bytes)"
        }
    }
}

/// NumPy `.npy` files (format versions 1.0, 2.0, 3.0), read into Float tensors and written
/// as `<f4` (or `<f8`) in C order, byte-identical to `numpy.save`.
///
/// ```swift
/// let x = try NPY.read(from: URL(fileURLWithPath: "x.npy"))     // [N, T, F] Float
/// try NPY.write(y, to: URL(fileURLWithPath: "y.npy"), dtype: .float64)
/// ```
public enum NPY {
    /// The element type written.
    public enum WriteType: String, Sendable {
        case float32 = "<f4"
        case float64 = "<f8"
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    // MARK: Reading

    /// Reads the array at `url` as a Float tensor of the same shape (a 0-d array gives shape `[]`).
    public static func read(from url: URL) throws -> Tensor {
        let file = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw NPYError.unreadable(file: file, reason: ioReason(error))
        }
        return try decode(data, source: file)
    }

    /// Decodes `.npy` bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "<data>") throws -> Tensor {
        try data.withUnsafeBytes { try decode(UnsafeRawBufferPointer($0), file: source) }
    }

    private enum Kind { case float, signed, unsigned, bool }

    private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws -> Tensor {
        guard raw.count > 0 else { throw NPYError.notNPY(file: file, reason: "the file is empty") }
        guard raw.count >= 8, Array(raw[0..<6]) == magic else {
            throw NPYError.notNPY(file: file, reason: "no \\x93NUMPY magic at the start")
        }
        let major = raw[6], minor = raw[7]
        guard minor == 0, (1...3).contains(major) else { throw NPYError.unsupportedVersion(file: file, major: major, minor: minor) }
        let lengthSize = major == 1 ? 2 : 4
        guard raw.count >= 8 + lengthSize else {
            throw NPYError.invalidHeader(file: file, reason: "truncated before the header length")
        }
        let headerLength = major == 1
            ? Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
            : Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        let start = 8 + lengthSize
        guard headerLength <= raw.count - start else {
            throw NPYError.invalidHeader(file: file, reason: "header length \(headerLength) runs past the end of the file (\(raw.count - start) bytes follow)")
        }
        let headerBytes = raw[start..<(start + headerLength)]
        let text: String
        if major == 3 {
            guard let s = decodeUTF8(headerBytes) else { throw NPYError.invalidHeader(file: file, reason: "the header is not UTF-8") }
            text = s
        } else {
            text = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))  // latin-1
        }
        let header: [(key: String, value: PyLiteral)]
        do {
            var parser = PyLiteralParser(Array(text.unicodeScalars))
            guard case .dict(let pairs) = try parser.parseAll() else {
                throw NPYError.invalidHeader(file: file, reason: "the header is not a dictionary")
            }
            header = pairs
        } catch let e as PyLiteralParser.Failure {
            throw NPYError.invalidHeader(file: file, reason: "\(e.message) at character \(e.offset) of \(quoted(text))")
        }
        func value(_ key: String) throws -> PyLiteral {
            guard let v = header.first(where: { $0.key == key })?.value else {
                throw NPYError.invalidHeader(file: file, reason: "missing '\(key)'")
            }
            return v
        }
        guard case .string(let descr) = try value("descr") else {
            throw NPYError.unsupportedDType(file: file, descr: "\(try value("descr"))", reason: "structured dtypes are not supported")
        }
        guard case .bool(let fortran) = try value("fortran_order") else {
            throw NPYError.invalidHeader(file: file, reason: "'fortran_order' is not True or False")
        }
        guard case .tuple(let dims) = try value("shape") else { throw NPYError.invalidHeader(file: file, reason: "'shape' is not a tuple") }
        var shape: [Int] = []
        for d in dims {
            guard case .int(let n) = d, n >= 0 else { throw NPYError.invalidHeader(file: file, reason: "'shape' holds a value that is not a non-negative integer") }
            shape.append(n)
        }
        let (kind, size) = try dtype(descr, file: file)
        if fortran { throw NPYError.fortranOrder(file: file) }

        var count = 1
        for d in shape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            guard !o else { throw NPYError.invalidHeader(file: file, reason: "shape \(shape) is too large") }
            count = p
        }
        let (needed, o) = count.multipliedReportingOverflow(by: size)
        guard !o else { throw NPYError.invalidHeader(file: file, reason: "shape \(shape) is too large") }
        let dataStart = start + headerLength
        let available = raw.count - dataStart
        if available < needed { throw NPYError.truncated(file: file, expectedBytes: needed, actualBytes: available) }
        if available > needed { throw NPYError.trailingData(file: file, expectedBytes: needed, actualBytes: available) }
        let bytes = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out[i] = element(bytes, i, kind: kind, size: size) }
            initialized = count
        }
        return Tensor(shape: shape, scalars: values)
    }

    private static func element(_ b: UnsafeRawBufferPointer, _ i: Int, kind: Kind, size: Int) -> Float {
        let o = i * size
        switch (kind, size) {
        case (.float, 2): return floatFromHalf(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
        case (.float, 4): return Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
        case (.float, _): return Float(Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self))))
        case (.signed, 1): return Float(Int8(bitPattern: b[o]))
        case (.signed, 2): return Float(Int16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: Int16.self)))
        case (.signed, 4): return Float(Int32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: Int32.self)))
        case (.signed, _): return Float(Int64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: Int64.self)))
        case (.unsigned, 1): return Float(b[o])
        case (.unsigned, 2): return Float(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
        case (.unsigned, 4): return Float(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
        case (.unsigned, _): return Float(UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        case (.bool, _): return b[o] == 0 ? 0 : 1
        }
    }

    /// Parses a dtype string such as `<f4`, `|u1`, `<i8`.
    private static func dtype(_ descr: String, file: String) throws -> (Kind, Int) {
        let u = Array(descr.utf8)
        func unsupported(_ reason: String) -> NPYError { .unsupportedDType(file: file, descr: descr, reason: reason) }
        guard u.count >= 2 else { throw unsupported("not a simple dtype") }
        let order = u[0]
        let code = u[1]
        let sizeText = String(decoding: u.dropFirst(2), as: UTF8.self)
        if code == UInt8(ascii: "O") { throw unsupported("object arrays are not supported (they need pickle)") }
        guard [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "=")].contains(order) else {
            throw unsupported("not a simple dtype")
        }
        guard let size = Int(sizeText) else { throw unsupported("not a simple numeric dtype") }
        let kind: Kind
        switch code {
        case UInt8(ascii: "f"):
            guard [2, 4, 8].contains(size) else { throw unsupported("only float16, float32 and float64 are read") }
            kind = .float
        case UInt8(ascii: "i"):
            guard [1, 2, 4, 8].contains(size) else { throw unsupported("unknown integer size") }
            kind = .signed
        case UInt8(ascii: "u"):
            guard [1, 2, 4, 8].contains(size) else { throw unsupported("unknown integer size") }
            kind = .unsigned
        case UInt8(ascii: "b"):
            guard size == 1 else { throw unsupported("unknown bool size") }
            kind = .bool
        default:
            throw unsupported("only float, integer and bool arrays are read")
        }
        if order == UInt8(ascii: ">"), size > 1 { throw unsupported("big-endian data is not supported") }
        return (kind, size)
    }

    private static func quoted(_ s: String) -> String {
        let short = s.count > 120 ? String(s.prefix(120)) + "…" : s
        return "\"" + short.trimmingCharacters(in: .whitespacesAndNewlines) + "\""
    }

    // MARK: Writing

    /// The `.npy` bytes of `tensor` in C order, exactly as `numpy.save` writes them.
    public static func encode(_ tensor: Tensor, dtype: WriteType = .float32) -> Data {
        var dict = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': ("
        switch tensor.rank {
        case 0: break
        case 1: dict += "\(tensor.shape[0]),"
        default: dict += tensor.shape.map(String.init).joined(separator: ", ")
        }
        dict += "), }"
        // numpy leaves room to grow the first axis in place, then aligns the data to 64 bytes.
        if let first = tensor.shape.first { dict += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        var version: UInt8 = 1
        var lengthSize = 2
        var pad = 64 - ((6 + 2 + lengthSize + dict.utf8.count + 1) % 64)
        if dict.utf8.count + pad + 1 > Int(UInt16.max) {
            version = 2
            lengthSize = 4
            pad = 64 - ((6 + 2 + lengthSize + dict.utf8.count + 1) % 64)
        }
        let header = Array(dict.utf8) + [UInt8](repeating: 0x20, count: pad) + [0x0A]
        let elementSize = dtype == .float32 ? 4 : 8
        var out = Data(capacity: 8 + lengthSize + header.count + tensor.count * elementSize)
        out.append(contentsOf: magic)
        out.append(contentsOf: [version, 0])
        if version == 1 {
            withUnsafeBytes(of: UInt16(header.count).littleEndian) { out.append(contentsOf: $0) }
        } else {
            withUnsafeBytes(of: UInt32(header.count).littleEndian) { out.append(contentsOf: $0) }
        }
        out.append(contentsOf: header)
        switch dtype {
        case .float32:
            var le = tensor.scalars.map { $0.bitPattern.littleEndian }
            le.withUnsafeMutableBytes { out.append(contentsOf: $0) }
        case .float64:
            var le = tensor.scalars.map { Double($0).bitPattern.littleEndian }
            le.withUnsafeMutableBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes `tensor` to `url` as `.npy`, atomically.
    public static func write(_ tensor: Tensor, to url: URL, dtype: WriteType = .float32) throws {
        try AtomicFile.write(encode(tensor, dtype: dtype), to: url)
    }
}

/// A Python literal as found in `.npy` headers.
enum PyLiteral: Equatable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PyLiteral])
    case list([PyLiteral])
    case dict([(key: String, value: PyLiteral)])

    static func == (a: PyLiteral, b: PyLiteral) -> Bool { a.description == b.description }

    var description: String {
        switch self {
        case .string(let s): return "'\(s)'"
        case .int(let n): return String(n)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .tuple(let t): return "(" + t.map(\.description).joined(separator: ", ") + (t.count == 1 ? ",)" : ")")
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.map { "'\($0.key)': \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Parses the subset of Python literal syntax `numpy.lib.format` writes (as `ast.literal_eval`
/// would, for dicts, tuples, lists, strings, ints, booleans and None), with a depth limit.
struct PyLiteralParser {
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    let s: [Unicode.Scalar]
    var i = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func parseAll() throws -> PyLiteral {
        skip()
        let v = try value(depth: 0)
        skip()
        guard i == s.count else { throw Failure(offset: i, message: "unexpected text after the dictionary") }
        return v
    }

    mutating func skip() {
        while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 }
    }

    mutating func value(depth: Int) throws -> PyLiteral {
        guard depth < 32 else { throw Failure(offset: i, message: "nested too deeply") }
        guard i < s.count else { throw Failure(offset: i, message: "unexpected end") }
        switch s[i] {
        case "{":
            i += 1
            var pairs: [(key: String, value: PyLiteral)] = []
            while true {
                skip()
                guard i < s.count else { throw Failure(offset: i, message: "unterminated dictionary") }
                if s[i] == "}" { i += 1; return .dict(pairs) }
                guard case .string(let key) = try value(depth: depth + 1) else { throw Failure(offset: i, message: "dictionary keys must be strings") }
                guard !pairs.contains(where: { $0.key == key }) else { throw Failure(offset: i, message: "duplicate key '\(key)'") }
                skip()
                guard i < s.count, s[i] == ":" else { throw Failure(offset: i, message: "expected ':'") }
                i += 1
                skip()
                pairs.append((key, try value(depth: depth + 1)))
                skip()
                guard i < s.count else { throw Failure(offset: i, message: "unterminated dictionary") }
                if s[i] == "," { i += 1; continue }
                guard s[i] == "}" else { throw Failure(offset: i, message: "expected ',' or '}'") }
            }
        case "(", "[":
            let close: Unicode.Scalar = s[i] == "(" ? ")" : "]"
            let isTuple = s[i] == "("
            i += 1
            var items: [PyLiteral] = []
            var sawComma = false
            while true {
                skip()
                guard i < s.count else { throw Failure(offset: i, message: "unterminated \(isTuple ? "tuple" : "list")") }
                if s[i] == close { i += 1; break }
                items.append(try value(depth: depth + 1))
                skip()
                guard i < s.count else { throw Failure(offset: i, message: "unterminated \(isTuple ? "tuple" : "list")") }
                if s[i] == "," { i += 1; sawComma = true; continue }
                guard s[i] == close else { throw Failure(offset: i, message: "expected ',' or '\(close)'") }
            }
            if isTuple, items.count == 1, !sawComma { return items[0] }  // (x) is just x
            return isTuple ? .tuple(items) : .list(items)
        case "'", "\"":
            let quote = s[i]
            i += 1
            var out = String.UnicodeScalarView()
            while true {
                guard i < s.count else { throw Failure(offset: i, message: "unterminated string") }
                let c = s[i]
                i += 1
                if c == quote { break }
                if c == "\n" { throw Failure(offset: i, message: "newline in string") }
                if c == "\\" {
                    guard i < s.count else { throw Failure(offset: i, message: "unterminated string") }
                    out.append(s[i])
                    i += 1
                } else {
                    out.append(c)
                }
            }
            return .string(String(out))
        case "-", "+", "0"..."9":
            let start = i
            if s[i] == "-" || s[i] == "+" { i += 1 }
            let digitsStart = i
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
            guard i > digitsStart else { throw Failure(offset: start, message: "invalid number") }
            if i < s.count, s[i] == "L" { i += 1 }  // Python 2 long suffix
            var text = String(String.UnicodeScalarView(s[start..<i]))
            if text.hasSuffix("L") { text.removeLast() }
            if text.hasPrefix("+") { text.removeFirst() }
            guard let n = Int(text) else { throw Failure(offset: start, message: "integer \(text) is out of range") }
            return .int(n)
        default:
            for (word, v) in [("True", PyLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
                let w = Array(word.unicodeScalars)
                if i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w {
                    i += w.count
                    return v
                }
            }
            throw Failure(offset: i, message: "unexpected '\(s[i].escaped(asASCII: true))'")
        }
    }
}
