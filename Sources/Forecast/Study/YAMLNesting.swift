/// A bound on how deeply a YAML text nests, computed without parsing it.
///
/// Yams builds its node tree recursively, so a hostile grid of 200,000 nested `[` or `- `
/// overflows the stack (a segfault, not an error). A study grid needs three levels; this scan
/// lets `StudyGrid.parse` refuse anything deeper than `StudyGrid.maxYAMLNesting` first.
enum YAMLNesting {
    /// An upper bound on the nesting depth: per line, its indentation plus the block markers
    /// (`- `, `? `) that open it, plus the depth of flow brackets `[ {` at that point.
    /// Brackets inside quoted strings are counted too (never fewer levels than the truth).
    static func bound(_ bytes: [UInt8]) -> Int {
        var deepest = 0, flow = 0, i = 0
        let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#")
        while i < bytes.count {
            // Start of a line: indentation, then compact block markers.
            var block = 0
            while i < bytes.count, bytes[i] == space { block += 1; i += 1 }
            while i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "?"), bytes[i + 1] == space {
                block += 2; i += 2
                while i < bytes.count, bytes[i] == space { i += 1 }
            }
            var previous = space
            while i < bytes.count, bytes[i] != newline {
                let b = bytes[i]
                if b == hash, previous == space { while i < bytes.count, bytes[i] != newline { i += 1 }; break }
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { flow += 1 }
                if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { flow = max(0, flow - 1) }
                deepest = max(deepest, block + flow)
                previous = b
                i += 1
            }
            deepest = max(deepest, block + flow)
            i += 1
        }
        return deepest
    }
}
