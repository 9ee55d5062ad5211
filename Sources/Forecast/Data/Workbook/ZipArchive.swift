import Foundation

/// Limits applied while reading a ZIP archive (an .xlsx workbook is one). Each error that a
/// limit raises names it and the environment variable that raises it.
public struct ZipLimits: Sendable {
    /// The largest uncompressed part read, in bytes (`RECURRENT_XLSX_MAX_PART_MB`, default 256 MiB).
    public var maxPartBytes: Int
    /// The largest ratio of uncompressed to compressed size accepted for a part larger than
    /// 1 MiB. DEFLATE cannot exceed about 1032:1, so only crafted archives come near it.
    public var maxExpansionRatio: Int

    public init(maxPartBytes: Int = 256 << 20, maxExpansionRatio: Int = 1000) {
        self.maxPartBytes = maxPartBytes; self.maxExpansionRatio = maxExpansionRatio
    }

    /// The defaults, with `RECURRENT_XLSX_MAX_PART_MB` applied when set to a positive number.
    public static var fromEnvironment: ZipLimits {
        var limits = ZipLimits()
        if let text = ProcessInfo.processInfo.environment["RECURRENT_XLSX_MAX_PART_MB"],
           let mb = Int(text), mb > 0, mb <= (1 << 20) {
            limits.maxPartBytes = mb << 20
        }
        return limits
    }
}

/// Why a ZIP archive or one of its members could not be read.
struct ZipError: Error, CustomStringConvertible {
    let description: String
}

/// A read-only ZIP archive held in memory: the central directory is read at once, members are
/// decompressed on request with their sizes bounded and their CRC-32 checked.
///
/// Supports what spreadsheet writers produce: stored and DEFLATE members, no encryption, no ZIP64.
struct ZipArchive {
    struct Member {
        let name: String
        let method: Int
        let crc: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let limits: ZipLimits
    private(set) var members: [String: Member] = [:]

    init(bytes: [UInt8], limits: ZipLimits) throws {
        self.bytes = bytes; self.limits = limits
        let end = try Self.endOfCentralDirectory(bytes)
        let count = u16(end + 10), size = u32(end + 12), offset = u32(end + 16)
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw ZipError(description: "ZIP64 archives are not supported")
        }
        guard offset + size <= end else { throw ZipError(description: "central directory lies outside the file") }
        var p = offset
        for _ in 0..<count {
            guard p + 46 <= end, u32(p) == 0x0201_4B50 else {
                throw ZipError(description: "central directory entry at byte \(p) is damaged")
            }
            let flags = u16(p + 8), method = u16(p + 10)
            let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
            guard p + 46 + nameLength <= end else { throw ZipError(description: "central directory entry at byte \(p) is damaged") }
            guard let name = String(validating: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self) else {
                throw ZipError(description: "a member name at byte \(p) is not UTF-8")
            }
            if flags & 1 != 0 { throw ZipError(description: "member \(name) is encrypted") }
            let member = Member(name: name, method: method, crc: UInt32(u32(p + 16)), compressedSize: u32(p + 20),
                                uncompressedSize: u32(p + 24), localHeaderOffset: u32(p + 42))
            if members[name] != nil { throw ZipError(description: "member \(name) appears twice") }
            members[name] = member
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The decompressed bytes of member `name`, or nil when the archive has no such member.
    func extract(_ name: String) throws -> [UInt8]? {
        guard let m = members[name] else { return nil }
        if m.uncompressedSize > limits.maxPartBytes {
            throw ZipError(description: "\(m.uncompressedSize) bytes uncompressed exceed the limit of \(limits.maxPartBytes >> 20) MiB per part (raise it with RECURRENT_XLSX_MAX_PART_MB)")
        }
        if m.uncompressedSize > 1 << 20, m.uncompressedSize / max(1, m.compressedSize) > limits.maxExpansionRatio {
            throw ZipError(description: "expands \(m.uncompressedSize / max(1, m.compressedSize)):1, beyond the limit of \(limits.maxExpansionRatio):1 (a zip bomb?)")
        }
        let h = m.localHeaderOffset
        guard h + 30 <= bytes.count, u32(h) == 0x0403_4B50 else {
            throw ZipError(description: "local header at byte \(h) is damaged")
        }
        let start = h + 30 + u16(h + 26) + u16(h + 28)
        guard start + m.compressedSize <= bytes.count else { throw ZipError(description: "data runs past the end of the file") }
        let data = Array(bytes[start..<(start + m.compressedSize)])
        let out: [UInt8]
        switch m.method {
        case 0: out = data
        case 8:
            do { out = try Inflate.decode(data, limit: m.uncompressedSize) } catch let e as InflateError {
                throw ZipError(description: "cannot decompress: \(e.description)")
            }
        default: throw ZipError(description: "compression method \(m.method) is not supported (stored or deflate expected)")
        }
        guard out.count == m.uncompressedSize else {
            throw ZipError(description: "decompressed to \(out.count) bytes, the directory says \(m.uncompressedSize)")
        }
        guard CRC32.checksum(out) == m.crc else { throw ZipError(description: "CRC-32 mismatch: the data is corrupt") }
        return out
    }

    private static func endOfCentralDirectory(_ bytes: [UInt8]) throws -> Int {
        guard bytes.count >= 22 else { throw ZipError(description: "not a zip archive (too short)") }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var p = bytes.count - 22
        while p >= lowest {
            if bytes[p] == 0x50, bytes[p + 1] == 0x4B, bytes[p + 2] == 0x05, bytes[p + 3] == 0x06 { return p }
            p -= 1
        }
        throw ZipError(description: "not a zip archive (no end of central directory)")
    }

    private func u16(_ p: Int) -> Int { Int(bytes[p]) | Int(bytes[p + 1]) << 8 }
    private func u32(_ p: Int) -> Int { u16(p) | u16(p + 2) << 16 }
}
