/// Why a DEFLATE stream could not be decoded.
struct InflateError: Error, CustomStringConvertible {
    let description: String
}

/// A DEFLATE (RFC 1951) decoder with a hard bound on its output.
///
/// Written for untrusted input: every read is bounds-checked, every loop consumes input or
/// ends, and decoding stops with an error as soon as the output would pass `limit` bytes, so a
/// corrupt stream can neither hang nor allocate more than `limit` (zip bombs).
enum Inflate {
    /// Decodes `input`, producing at most `limit` bytes.
    static func decode(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var state = InflateState(input: input, limit: limit)
        try state.run()
        return state.output
    }
}

/// Canonical Huffman code (RFC 1951 §3.2.2) kept as symbol counts per length and the symbols
/// in code order; decoding walks the lengths one bit at a time.
private struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]

    /// Builds the code from code lengths (0 = unused). Refuses over-subscribed sets; an
    /// incomplete set is allowed only when `allowIncomplete` (RFC 1951 permits one distance code).
    init(lengths: [Int], allowIncomplete: Bool) throws {
        symbols = [Int](repeating: 0, count: lengths.count)
        for l in lengths { counts[l] += 1 }
        counts[0] = 0
        var left = 1
        for len in 1...15 {
            left = left * 2 - counts[len]
            if left < 0 { throw InflateError(description: "over-subscribed Huffman code") }
        }
        // Literal/length and code-length codes must be complete unless they hold a single code.
        if left > 0 && !allowIncomplete && lengths.filter({ $0 > 0 }).count > 1 {
            throw InflateError(description: "incomplete Huffman code")
        }
        var offsets = [Int](repeating: 0, count: 16)
        for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
        for (symbol, l) in lengths.enumerated() where l != 0 {
            symbols[offsets[l]] = symbol
            offsets[l] += 1
        }
    }
}

private struct InflateState {
    let input: [UInt8]
    let limit: Int
    var output: [UInt8] = []
    private var position = 0
    private var bitBuffer = 0
    private var bitCount = 0

    init(input: [UInt8], limit: Int) {
        self.input = input; self.limit = limit
        output.reserveCapacity(min(limit, max(1024, input.count * 4)))
    }

    mutating func bits(_ n: Int) throws -> Int {
        while bitCount < n {
            guard position < input.count else { throw InflateError(description: "unexpected end of compressed data") }
            bitBuffer |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << n) - 1)
        bitBuffer >>= n
        bitCount -= n
        return value
    }

    mutating func decodeSymbol(_ h: Huffman) throws -> Int {
        var code = 0, first = 0, index = 0
        for len in 1...15 {
            code |= try bits(1)
            let count = h.counts[len]
            if code - first < count { return h.symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw InflateError(description: "invalid Huffman code")
    }

    mutating func emit(_ byte: UInt8) throws {
        guard output.count < limit else { throw InflateError(description: "output exceeds \(limit) bytes") }
        output.append(byte)
    }

    mutating func run() throws {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored()
            case 1: try codes(Self.fixedLiterals, Self.fixedDistances)
            case 2:
                let (lit, dist) = try dynamicTables()
                try codes(lit, dist)
            default: throw InflateError(description: "invalid block type 3")
            }
        } while last == 0
    }

    private mutating func stored() throws {
        bitBuffer = 0; bitCount = 0
        guard position + 4 <= input.count else { throw InflateError(description: "unexpected end of compressed data") }
        let len = Int(input[position]) | Int(input[position + 1]) << 8
        let nlen = Int(input[position + 2]) | Int(input[position + 3]) << 8
        position += 4
        guard len == (~nlen & 0xFFFF) else { throw InflateError(description: "stored block length check failed") }
        guard position + len <= input.count else { throw InflateError(description: "unexpected end of compressed data") }
        guard output.count + len <= limit else { throw InflateError(description: "output exceeds \(limit) bytes") }
        output.append(contentsOf: input[position..<(position + len)])
        position += len
    }

    // RFC 1951 §3.2.5: base lengths and extra bits of length codes 257…285 and distance codes 0…29.
    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                     35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                      3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                       257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                       8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    // §3.2.6: the fixed codes.
    private static let fixedLiterals: Huffman = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return try! Huffman(lengths: lengths, allowIncomplete: false)
    }()
    private static let fixedDistances = try! Huffman(lengths: [Int](repeating: 5, count: 30), allowIncomplete: true)

    private mutating func codes(_ literals: Huffman, _ distances: Huffman) throws {
        while true {
            let symbol = try decodeSymbol(literals)
            if symbol < 256 { try emit(UInt8(symbol)); continue }
            if symbol == 256 { return }
            let li = symbol - 257
            guard li < 29 else { throw InflateError(description: "invalid length code \(symbol)") }
            let length = Self.lengthBase[li] + (try bits(Self.lengthExtra[li]))
            let di = try decodeSymbol(distances)
            guard di < 30 else { throw InflateError(description: "invalid distance code \(di)") }
            let distance = Self.distanceBase[di] + (try bits(Self.distanceExtra[di]))
            guard distance <= output.count else { throw InflateError(description: "distance \(distance) reaches before the start") }
            guard output.count + length <= limit else { throw InflateError(description: "output exceeds \(limit) bytes") }
            let start = output.count - distance
            for k in 0..<length { output.append(output[start + k]) }
        }
    }

    // §3.2.7: code lengths of the code lengths come in this order.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func dynamicTables() throws -> (Huffman, Huffman) {
        let nlen = try bits(5) + 257, ndist = try bits(5) + 1, ncode = try bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw InflateError(description: "too many length or distance codes") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<ncode { codeLengths[Self.codeLengthOrder[i]] = try bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths, allowIncomplete: false)
        var lengths: [Int] = []
        lengths.reserveCapacity(nlen + ndist)
        while lengths.count < nlen + ndist {
            let symbol = try decodeSymbol(lengthCode)
            switch symbol {
            case 0..<16: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw InflateError(description: "repeat with no previous length") }
                lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
            case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
            default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == nlen + ndist else { throw InflateError(description: "code lengths overrun") }
        guard lengths[256] != 0 else { throw InflateError(description: "no end-of-block code") }
        let literals = try Huffman(lengths: Array(lengths[0..<nlen]), allowIncomplete: false)
        let distances = try Huffman(lengths: Array(lengths[nlen...]), allowIncomplete: true)
        return (literals, distances)
    }
}
