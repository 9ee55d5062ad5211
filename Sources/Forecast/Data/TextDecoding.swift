/// Decodes file bytes to text without Foundation's encodings
/// (`String(data:encoding:.windowsCP1250)` crashes on Linux).
public enum TextDecoding {
    /// Unicode scalars of the Windows-1250 bytes 0x80…0xFF; undefined bytes map to U+FFFD.
    static let cp1250High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0xFFFD, 0x201E, 0x2026, 0x2020, 0x2021, // 80
        0xFFFD, 0x2030, 0x0160, 0x2039, 0x015A, 0x0164, 0x017D, 0x0179, // 88
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90
        0xFFFD, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A, // 98
        0x00A0, 0x02C7, 0x02D8, 0x0141, 0x00A4, 0x0104, 0x00A6, 0x00A7, // A0
        0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B, // A8
        0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7, // B0
        0x00B8, 0x0105, 0x015F, 0x00BB, 0x013D, 0x02DD, 0x013E, 0x017C, // B8
        0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7, // C0
        0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E, // C8
        0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7, // D0
        0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF, // D8
        0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7, // E0
        0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F, // E8
        0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7, // F0
        0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9, // F8
    ]

    /// Text of Windows-1250 (cp1250) bytes.
    public static func cp1250<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            let code = b < 0x80 ? UInt32(b) : cp1250High[Int(b) - 0x80]
            scalars.append(UnicodeScalar(code)!)
        }
        return String(scalars)
    }

    /// Text of bytes that are valid UTF-8, else nil.
    public static func strictUTF8(_ bytes: [UInt8]) -> String? {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var out = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: return String(out)
            case .error: return nil
            }
        }
    }

    /// UTF-8 when the bytes are valid UTF-8, otherwise Windows-1250.
    public static func utf8OrCP1250(_ bytes: [UInt8]) -> String {
        strictUTF8(bytes) ?? cp1250(bytes)
    }
}

/// The text encoding of a delimited file.
public enum TextEncoding: Sendable {
    case utf8
    case cp1250
    /// UTF-8 when a field is valid UTF-8, otherwise cp1250.
    case automatic

    func decode(_ bytes: [UInt8]) -> String {
        switch self {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .cp1250: return TextDecoding.cp1250(bytes)
        case .automatic: return TextDecoding.utf8OrCP1250(bytes)
        }
    }
}
