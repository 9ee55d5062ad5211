import Foundation

/// Element types of the safetensors format that Recurrent reads (all are converted to Float).
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .F64, .I64: return 8
        case .F32, .I32: return 4
        case .F16, .BF16, .I16: return 2
        case .I8, .U8, .BOOL: return 1
        }
    }
}

/// Why a safetensors file could not be read or written. Every message starts with the file.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// Fewer than the 8 bytes of the header length.
    case fileTooShort(file: String, size: Int)
    /// The header length is beyond the 100 MB limit.
    case headerTooLarge(file: String, headerLength: UInt64)
    /// The header length runs past the end of the file.
    case headerTruncated(file: String, headerLength: UInt64, available: Int)
    /// The header is not UTF-8 JSON of the expected form.
    case invalidHeader(file: String, reason: String)
    /// One tensor's entry in the header is malformed.
    case invalidTensorEntry(file: String, tensor: String, reason: String)
    /// A dtype that Recurrent does not read.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// shape × dtype size differs from the length of the tensor's byte range.
    case sizeMismatch(file: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
    /// Byte ranges that overlap, leave gaps, or do not start at 0.
    case invalidOffsets(file: String, reason: String)
    /// The header describes more tensor data than the file holds.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// The file holds more bytes than the header describes.
    case trailingData(file: String, expectedBytes: Int, actualBytes: Int)
    /// A tensor or metadata entry that cannot be written (empty or duplicate name...).
    case invalidContent(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(f, r):
            return "\(f): cannot read: \(r)"
        case let .fileTooShort(f, n):
            return "\(f): not a safetensors file: \(n) bytes, shorter than the 8-byte header length"
        case let .headerTooLarge(f, n):
            return "\(f): not a safetensors file: header length \(n) is over the \(Safetensors.maxHeaderLength)-byte limit"
        case let .headerTruncated(f, n, a):
            return "\(f): truncated: header length says \(n) bytes, but only \(a) bytes follow"
        case let .invalidHeader(f, r):
            return "\(f): invalid header: \(r)"
        case let .invalidTensorEntry(f, t, r):
            return "\(f): tensor '\(t)': \(r)"
        case let .unsupportedDType(f, t, d):
            return "\(f): tensor '\(t)': dtype '\(d)' is not supported (supported: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .sizeMismatch(f, t, s, d, e, a):
            return "\(f): tensor '\(t)': shape \(s) of \(d) needs \(e) bytes, its data_offsets cover \(a)"
        case let .invalidOffsets(f, r):
            return "\(f): invalid data_offsets: \(r)"
        case let .truncated(f, e, a):
            return "\(f): truncated: header says \(e) bytes of tensor data, file has \(a)"
        case let .trailingData(f, e, a):
            return "\(f): header says \(e) bytes of tensor data, file has \(a) (unexpected trailing bytes)"
        case let .invalidContent(f, r):
            return "\(f): \(r)"
        }
    }
}

/// The contents of a safetensors file: named tensors (converted to Float) and string metadata.
///
/// Format: 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// `{"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}}`
/// (padded with spaces to a multiple of 8), then the tensor bytes; offsets are relative to the
/// start of the byte buffer and must tile it exactly.
///
/// Written files match the reference implementation (`safetensors` for Rust / Python) byte for
/// byte: compact JSON with `__metadata__` first, tensors ordered by name (all F32), header
/// padded with spaces.
public struct Safetensors: Sendable {
    /// One tensor of the file.
    public struct Entry: Sendable {
        public var name: String
        /// The element type stored in the file (writing always stores F32).
        public var dtype: SafetensorsDType
        public var tensor: Tensor

        public init(name: String, dtype: SafetensorsDType = .F32, tensor: Tensor) {
            self.name = name
            self.dtype = dtype
            self.tensor = tensor
        }
    }

    /// Headers larger than this are rejected (the Rust crate's limit).
    public static let maxHeaderLength: UInt64 = 100_000_000

    /// The tensors, in the order of their bytes in the file when read.
    public var entries: [Entry]
    /// The `__metadata__` strings.
    public var metadata: [String: String]

    public init(entries: [Entry] = [], metadata: [String: String] = [:]) {
        self.entries = entries
        self.metadata = metadata
    }

    /// Tensors from `(name, tensor)` pairs.
    public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.init(entries: tensors.map { Entry(name: $0.name, tensor: $0.tensor) }, metadata: metadata)
    }

    /// The tensor names in entry order.
    public var names: [String] { entries.map(\.name) }

    /// The tensor named `name`, if any.
    public subscript(name: String) -> Tensor? {
        get { entries.first { $0.name == name }?.tensor }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[i].tensor = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(name: name, tensor: newValue))
            }
        }
    }

    /// Tensors by name.
    public var tensors: [String: Tensor] {
        Dictionary(entries.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Reading

    /// Reads and validates the file at `url`.
    public static func read(from url: URL) throws -> Safetensors {
        let file = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SafetensorsError.unreadable(file: file, reason: ioReason(error))
        }
        return try Safetensors(data: data, source: file)
    }

    /// Decodes and validates a safetensors byte string; `source` names it in errors.
    public init(data: Data, source: String = "<data>") throws {
        self = try data.withUnsafeBytes { try Safetensors.decode(UnsafeRawBufferPointer($0), file: source) }
    }

    private struct RawEntry {
        var name: String
        var dtype: SafetensorsDType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws -> Safetensors {
        guard raw.count >= 8 else { throw SafetensorsError.fileTooShort(file: file, size: raw.count) }
        let n = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard n <= maxHeaderLength else { throw SafetensorsError.headerTooLarge(file: file, headerLength: n) }
        let headerLength = Int(n)
        guard headerLength <= raw.count - 8 else {
            throw SafetensorsError.headerTruncated(file: file, headerLength: n, available: raw.count - 8)
        }
        let headerBytes = Array(raw[8..<(8 + headerLength)])
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw SafetensorsError.invalidHeader(file: file, reason: headerBytes.isEmpty ? "empty header" : "the header does not start with '{'")
        }
        let json: MiniJSON
        do {
            json = try MiniJSON.parse(headerBytes)
        } catch let e as MiniJSON.ParseError {
            throw SafetensorsError.invalidHeader(file: file, reason: "invalid JSON: \(e.message) at header byte \(e.offset)")
        }
        guard case .object(let members) = json else {
            throw SafetensorsError.invalidHeader(file: file, reason: "the header is \(json.kind), not an object")
        }

        var metadata: [String: String] = [:]
        var rawEntries: [RawEntry] = []
        for (key, value) in members {
            if key == "__metadata__" {
                switch value {
                case .null: continue
                case .object(let pairs):
                    for (k, v) in pairs {
                        guard case .string(let s) = v else {
                            throw SafetensorsError.invalidHeader(file: file, reason: "__metadata__ value for '\(k)' is \(v.kind); metadata values must be strings")
                        }
                        metadata[k] = s
                    }
                default:
                    throw SafetensorsError.invalidHeader(file: file, reason: "__metadata__ is \(value.kind), not an object of strings")
                }
                continue
            }
            rawEntries.append(try parseEntry(name: key, value, file: file))
        }

        // Each entry's byte length must match its shape and dtype.
        for e in rawEntries {
            let count = try elementCount(e.shape, tensor: e.name, file: file)
            let (bytes, overflow) = count.multipliedReportingOverflow(by: e.dtype.byteSize)
            guard !overflow else {
                throw SafetensorsError.invalidTensorEntry(file: file, tensor: e.name, reason: "shape \(e.shape) is too large")
            }
            guard e.end >= e.begin else {
                throw SafetensorsError.invalidOffsets(file: file, reason: "tensor '\(e.name)' ends (\(e.end)) before it begins (\(e.begin))")
            }
            guard e.end - e.begin == bytes else {
                throw SafetensorsError.sizeMismatch(file: file, tensor: e.name, shape: e.shape, dtype: e.dtype.rawValue,
                                                    expectedBytes: bytes, actualBytes: e.end - e.begin)
            }
        }

        // The ranges must tile [0, total) without gaps or overlaps.
        let sorted = rawEntries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        var previous: String?
        for e in sorted {
            if e.begin < position {
                throw SafetensorsError.invalidOffsets(file: file, reason: "tensor '\(e.name)' [\(e.begin), \(e.end)) overlaps '\(previous ?? "")' (which ends at \(position))")
            }
            if e.begin > position {
                let after = previous.map { "after '\($0)' " } ?? "at the start "
                throw SafetensorsError.invalidOffsets(file: file, reason: "gap of \(e.begin - position) bytes \(after)before tensor '\(e.name)' (begins at \(e.begin), expected \(position))")
            }
            position = e.end
            previous = e.name
        }
        let buffer = raw.count - 8 - headerLength
        if position > buffer { throw SafetensorsError.truncated(file: file, expectedBytes: position, actualBytes: buffer) }
        if position < buffer { throw SafetensorsError.trailingData(file: file, expectedBytes: position, actualBytes: buffer) }

        let base = 8 + headerLength
        var entries: [Entry] = []
        entries.reserveCapacity(sorted.count)
        for e in sorted {
            let bytes = UnsafeRawBufferPointer(rebasing: raw[(base + e.begin)..<(base + e.end)])
            let values = convert(bytes, dtype: e.dtype)
            entries.append(Entry(name: e.name, dtype: e.dtype, tensor: Tensor(shape: e.shape, scalars: values)))
        }
        return Safetensors(entries: entries, metadata: metadata)
    }

    private static func parseEntry(name: String, _ value: MiniJSON, file: String) throws -> RawEntry {
        func bad(_ reason: String) -> SafetensorsError {
            .invalidTensorEntry(file: file, tensor: name, reason: reason)
        }
        guard case .object(let fields) = value else { throw bad("the entry is \(value.kind), not an object") }
        func field(_ key: String) throws -> MiniJSON {
            guard let v = fields.first(where: { $0.key == key })?.value else { throw bad("missing '\(key)'") }
            return v
        }
        guard case .string(let dtypeName) = try field("dtype") else { throw bad("'dtype' is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard case .array(let dims) = try field("shape") else { throw bad("'shape' is not an array") }
        var shape: [Int] = []
        for d in dims {
            guard let v = d.nonNegativeInt else { throw bad("'shape' holds \(d.kind == "a number" ? "a value that is not a non-negative integer" : d.kind)") }
            shape.append(v)
        }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2 else {
            throw bad("'data_offsets' is not an array of two integers")
        }
        guard let begin = offsets[0].nonNegativeInt, let end = offsets[1].nonNegativeInt else {
            throw bad("'data_offsets' holds a value that is not a non-negative integer")
        }
        return RawEntry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// The element count of `shape`, folded in the same order as `Tensor`, with overflow checks.
    private static func elementCount(_ shape: [Int], tensor: String, file: String) throws -> Int {
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw SafetensorsError.invalidTensorEntry(file: file, tensor: tensor, reason: "shape \(shape) is too large")
            }
            count = p
        }
        return count
    }

    private static func convert(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType) -> [Float] {
        let n = bytes.count / dtype.byteSize
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            switch dtype {
            case .F32:
                for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case .F64:
                for i in 0..<n { out[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            case .F16:
                for i in 0..<n { out[i] = floatFromHalf(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case .BF16:
                for i in 0..<n { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
            case .I64:
                for i in 0..<n { out[i] = Float(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
            case .I32:
                for i in 0..<n { out[i] = Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
            case .I16:
                for i in 0..<n { out[i] = Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
            case .I8:
                for i in 0..<n { out[i] = Float(Int8(bitPattern: bytes[i])) }
            case .U8:
                for i in 0..<n { out[i] = Float(bytes[i]) }
            case .BOOL:
                for i in 0..<n { out[i] = bytes[i] == 0 ? 0 : 1 }
            }
            initialized = n
        }
    }

    // MARK: Writing

    /// The file's bytes (every tensor as F32); `source` names the file in errors.
    public func encoded(source: String = "<data>") throws -> Data {
        var seen = Set<String>()
        for e in entries {
            guard !e.name.isEmpty else { throw SafetensorsError.invalidContent(file: source, reason: "a tensor has an empty name") }
            guard e.name != "__metadata__" else { throw SafetensorsError.invalidContent(file: source, reason: "'__metadata__' cannot name a tensor") }
            guard seen.insert(e.name).inserted else { throw SafetensorsError.invalidContent(file: source, reason: "two tensors are named '\(e.name)'") }
        }
        // The reference implementation orders by dtype, then name; all ours are F32.
        let ordered = entries.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            parts.append("\"__metadata__\":{" + keys.map { MiniJSON.quote($0) + ":" + MiniJSON.quote(metadata[$0]!) }.joined(separator: ",") + "}")
        }
        var offset = 0
        for e in ordered {
            let bytes = e.tensor.count * 4
            parts.append(MiniJSON.quote(e.name) + ":{\"dtype\":\"F32\",\"shape\":[" + e.tensor.shape.map(String.init).joined(separator: ",")
                         + "],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))
        guard UInt64(headerBytes.count) <= Self.maxHeaderLength else {
            throw SafetensorsError.invalidContent(file: source, reason: "the header would be \(headerBytes.count) bytes, over the \(Self.maxHeaderLength)-byte limit")
        }

        var out = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for e in ordered {
            var le = e.tensor.scalars.map { $0.bitPattern.littleEndian }
            le.withUnsafeMutableBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes the file atomically (see `AtomicFile`), every tensor as F32.
    public func write(to url: URL) throws {
        let data = try encoded(source: url.lastPathComponent)
        try AtomicFile.write(data, to: url)
    }
}

/// IEEE 754 binary16 bits to Float (exact; no dependency on the `Float16` type, which macOS
/// on Intel lacks).
func floatFromHalf(_ h: UInt16) -> Float {
    let sign: Float = h & 0x8000 != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        return sign * Float(mantissa) * 0x1p-24
    }
    if exponent == 31 {
        let bits = (UInt32(h & 0x8000) << 16) | 0x7F80_0000 | (mantissa << 13)
        return Float(bitPattern: bits)
    }
    let bits = (UInt32(h & 0x8000) << 16) | (UInt32(exponent + 112) << 23) | (mantissa << 13)
    return Float(bitPattern: bits)
}

/// A short reason for a file-system error.
func ioReason(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
       let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
        return String(cString: strerror(code.rawValue))
    }
    if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError { return "no such file" }
    return ns.localizedDescription
}
