/// Escaping of text for XML/SVG and HTML output.
public enum Escape {
    /// Escapes `&`, `<`, `>`, `"` and `'` so that `text` is safe inside XML/HTML element content
    /// and inside double- or single-quoted attribute values. Non-ASCII characters (e.g. "µg/m³",
    /// "Złoty Róg") are kept as they are; documents are written as UTF-8. Control characters that
    /// XML 1.0 forbids are dropped.
    public static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// HTML escaping; identical to ``xml(_:)`` (which is also valid for HTML5).
    public static func html(_ text: String) -> String { xml(text) }
}
