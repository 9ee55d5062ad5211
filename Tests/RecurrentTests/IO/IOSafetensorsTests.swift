import Foundation
import XCTest
@testable import Recurrent

final class IOSafetensorsTests: XCTestCase {
    /// `safetensors.numpy.save({"weight_ih_l0": float64 [[0.5, -1], [2, 0.25]], "bias_ih_l0": float32 [1.5, -2.5]})`.
    static let pythonMixed: [UInt8] = [136, 0, 0, 0, 0, 0, 0, 0, 123, 34, 119, 101, 105, 103, 104, 116, 95, 105, 104, 95, 108, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 54, 52, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 50, 44, 50, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 51, 50, 93, 125, 44, 34, 98, 105, 97, 115, 95, 105, 104, 95, 108, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 50, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 51, 50, 44, 52, 48, 93, 125, 125, 32, 32, 32, 32, 0, 0, 0, 0, 0, 0, 224, 63, 0, 0, 0, 0, 0, 0, 240, 191, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 208, 63, 0, 0, 192, 63, 0, 0, 32, 192]

    /// `safetensors.numpy.save({"b": float32 [1, 2], "a": float32 [[3]]}, metadata={"k": "v"})`.
    static let pythonF32WithMetadata: [UInt8] = [136, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 107, 34, 58, 34, 118, 34, 125, 44, 34, 97, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 49, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 52, 93, 125, 44, 34, 98, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 50, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 52, 44, 49, 50, 93, 125, 125, 32, 0, 0, 64, 64, 0, 0, 128, 63, 0, 0, 0, 64]

    func sample() -> Safetensors {
        Safetensors(tensors: [
            ("layers.0.weight_ih_l0", Tensor(shape: [4, 3], scalars: (0..<12).map { Float($0) * 0.1 - 0.55 })),
            ("layers.0.bias", Tensor(shape: [4], scalars: [Float.pi, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude])),
            ("scalar", Tensor(shape: [], scalars: [7])),
            ("empty", Tensor(shape: [0, 5], scalars: [])),
        ], metadata: ["recurrent.training": #"{"loss": "mse", "note": "ünïcode \"quoted\"\n"}"#, "a": ""])
    }

    func testRoundTripIsBitIdenticalWithMetadataAndAlignment() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("model.safetensors")
        let original = sample()
        try original.write(to: url)
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0, "header padded to a multiple of 8")
        XCTAssertEqual(bytes[8], UInt8(ascii: "{"))
        let read = try Safetensors.read(from: url)
        XCTAssertEqual(read.metadata, original.metadata)
        XCTAssertEqual(Set(read.names), Set(original.names))
        for e in original.entries {
            let r = try XCTUnwrap(read[e.name])
            XCTAssertEqual(r.shape, e.tensor.shape)
            XCTAssertEqual(r.scalars.map(\.bitPattern), e.tensor.scalars.map(\.bitPattern), e.name)
        }
        XCTAssertEqual(read.entries.first { $0.name == "scalar" }?.dtype, .F32)
    }

    func testWriterMatchesReferenceImplementationBytes() throws {
        let st = Safetensors(tensors: [("b", Tensor(shape: [2], scalars: [1, 2])), ("a", Tensor(shape: [1, 1], scalars: [3]))],
                             metadata: ["k": "v"])
        XCTAssertEqual([UInt8](try st.encoded()), Self.pythonF32WithMetadata)
    }

    func testReadsReferenceFileWithF64AndF32() throws {
        let st = try Safetensors(data: Data(Self.pythonMixed), source: "ref.safetensors")
        XCTAssertEqual(st.names, ["weight_ih_l0", "bias_ih_l0"])
        XCTAssertEqual(st["weight_ih_l0"], Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25]))
        XCTAssertEqual(st.entries[0].dtype, .F64)
        XCTAssertEqual(st["bias_ih_l0"], Tensor(shape: [2], scalars: [1.5, -2.5]))
        XCTAssertTrue(st.metadata.isEmpty)
        // The test's independent reference writer reproduces the Python bytes.
        let rebuilt = referenceSafetensors([("weight_ih_l0", [2, 2], [0.5, -1, 2, 0.25], true), ("bias_ih_l0", [2], [1.5, -2.5], false)])
        XCTAssertEqual([UInt8](rebuilt), Self.pythonMixed)
    }

    func testReadsHalfBFloatAndIntegerDTypes() throws {
        func file(_ dtype: String, _ shape: [Int], _ bytes: [UInt8]) -> Data {
            var header = Array(#"{"t":{"dtype":"\#(dtype)","shape":[\#(shape.map(String.init).joined(separator: ","))],"data_offsets":[0,\#(bytes.count)]}}"#.utf8)
            while header.count % 8 != 0 { header.append(0x20) }
            return Data(leBytes(UInt64(header.count)) + header + bytes)
        }
        // F16: 1.0, -2.0, 65504, smallest subnormal, +inf
        let f16 = try Safetensors(data: file("F16", [5], [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x7C]))["t"]!
        XCTAssertEqual(f16.scalars, [1, -2, 65504, 0x1p-24, .infinity])
        let bf16 = try Safetensors(data: file("BF16", [2], [0x80, 0x3F, 0x40, 0xC0]))["t"]!
        XCTAssertEqual(bf16.scalars, [1, -3])
        let i64 = try Safetensors(data: file("I64", [2], leBytes(Int64(-3)) + leBytes(Int64(1 << 40))))["t"]!
        XCTAssertEqual(i64.scalars, [-3, Float(1 << 40)])
        let i32 = try Safetensors(data: file("I32", [1, 1], leBytes(Int32(-7))))["t"]!
        XCTAssertEqual(i32, Tensor(shape: [1, 1], scalars: [-7]))
        let u8 = try Safetensors(data: file("U8", [2], [0, 255]))["t"]!
        XCTAssertEqual(u8.scalars, [0, 255])
    }

    // MARK: Corrupt files

    func message(_ bytes: [UInt8]) -> String {
        errorMessage { _ = try Safetensors(data: Data(bytes), source: "model.safetensors") }
    }

    func header(_ json: String, data: [UInt8] = [], pad: Bool = true) -> [UInt8] {
        var h = Array(json.utf8)
        if pad { while h.count % 8 != 0 { h.append(0x20) } }
        return leBytes(UInt64(h.count)) + h + data
    }

    func testShorterThanEightBytes() {
        XCTAssertEqual(message([1, 2, 3]), "model.safetensors: not a safetensors file: 3 bytes, shorter than the 8-byte header length")
        XCTAssertTrue(message([]).contains("0 bytes"))
    }

    func testHeaderLengthLargerThanFileOrAbsurd() {
        XCTAssertEqual(message(leBytes(UInt64(500)) + Array("{}".utf8)),
                       "model.safetensors: truncated: header length says 500 bytes, but only 2 bytes follow")
        XCTAssertEqual(message(leBytes(UInt64.max) + Array("{}".utf8)),
                       "model.safetensors: not a safetensors file: header length 18446744073709551615 is over the 100000000-byte limit")
        XCTAssertTrue(message(leBytes(UInt64(200_000_000))).contains("over the 100000000-byte limit"))
    }

    func testInvalidJSON() {
        XCTAssertTrue(message(header(#"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]"#, data: [0, 0, 0, 0]))
            .hasPrefix("model.safetensors: invalid header: invalid JSON:"))
        XCTAssertEqual(message(header("[1, 2]")), "model.safetensors: invalid header: the header does not start with '{'")
        XCTAssertTrue(message(header(#"{"a": 1, "a": 2}"#)).contains("duplicate key"))
        XCTAssertTrue(message([8, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]).contains("invalid UTF-8"))
        XCTAssertEqual(message(header(#"{"__metadata__": {"epochs": 3}}"#)),
                       "model.safetensors: invalid header: __metadata__ value for 'epochs' is a number; metadata values must be strings")
        XCTAssertEqual(message(header(#"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])),
                       "model.safetensors: tensor 'w': 'shape' holds a value that is not a non-negative integer")
        XCTAssertEqual(message(header(#"{"w": {"dtype": "F32", "shape": [1]}}"#)), "model.safetensors: tensor 'w': missing 'data_offsets'")
    }

    func testTruncatedData() {
        // 1030 floats = 4120 bytes described, 1000 present.
        let bytes = header(#"{"w":{"dtype":"F32","shape":[1030],"data_offsets":[0,4120]}}"#, data: [UInt8](repeating: 0, count: 1000))
        XCTAssertEqual(message(bytes), "model.safetensors: truncated: header says 4120 bytes of tensor data, file has 1000")
    }

    func testTrailingBytes() {
        let bytes = header(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0, 9])
        XCTAssertEqual(message(bytes), "model.safetensors: header says 4 bytes of tensor data, file has 5 (unexpected trailing bytes)")
    }

    func testOverlappingOrGappedOffsets() {
        let overlap = header(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                             data: [UInt8](repeating: 0, count: 12))
        XCTAssertEqual(message(overlap), "model.safetensors: invalid data_offsets: tensor 'b' [4, 12) overlaps 'a' (which ends at 8)")
        let gap = header(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                         data: [UInt8](repeating: 0, count: 12))
        XCTAssertEqual(message(gap), "model.safetensors: invalid data_offsets: gap of 4 bytes after 'a' before tensor 'b' (begins at 8, expected 4)")
        let notAtZero = header(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: [UInt8](repeating: 0, count: 8))
        XCTAssertTrue(message(notAtZero).contains("gap of 4 bytes at the start before tensor 'a'"))
        let backwards = header(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: [])
        XCTAssertEqual(message(backwards), "model.safetensors: invalid data_offsets: tensor 'a' ends (0) before it begins (8)")
        let huge = header(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999999]}}"#, data: [])
        XCTAssertTrue(message(huge).contains("not a non-negative integer"))
    }

    func testShapeTimesDTypeSizeMismatch() {
        let bytes = header(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, data: [UInt8](repeating: 0, count: 20))
        XCTAssertEqual(message(bytes), "model.safetensors: tensor 'w': shape [2, 3] of F32 needs 24 bytes, its data_offsets cover 20")
        let overflow = header(#"{"w":{"dtype":"F32","shape":[4611686018427387904,4,0],"data_offsets":[0,0]}}"#)
        XCTAssertEqual(message(overflow), "model.safetensors: tensor 'w': shape [4611686018427387904, 4, 0] is too large")
    }

    func testUnknownDType() {
        let bytes = header(#"{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        XCTAssertTrue(message(bytes).hasPrefix("model.safetensors: tensor 'w': dtype 'F8_E4M3' is not supported (supported: F64, F32"))
    }

    func testMissingFileNamesIt() throws {
        let dir = try makeTemporaryDirectory(self)
        let text = errorMessage { _ = try Safetensors.read(from: dir.appendingPathComponent("nope.safetensors")) }
        XCTAssertTrue(text.hasPrefix("nope.safetensors: cannot read:"), text)
    }

    func testWriterRejectsDuplicateNames() {
        let st = Safetensors(entries: [.init(name: "a", tensor: Tensor(shape: [1])), .init(name: "a", tensor: Tensor(shape: [1]))])
        XCTAssertEqual(errorMessage { _ = try st.encoded(source: "x.safetensors") }, "x.safetensors: two tensors are named 'a'")
    }

    /// Random mutations of a valid file must throw or decode, never trap.
    func testFuzzedMutationsNeverTrap() throws {
        let valid = [UInt8](try sample().encoded())
        var rng = SeededGenerator(seed: 7)
        var decoded = 0, rejected = 0
        for round in 0..<4000 {
            var bytes = valid
            let edits = 1 + Int(rng.next() % 4)
            for _ in 0..<edits {
                switch rng.next() % 6 {
                case 0:  // flip a byte, biased to the header
                    let limit = rng.next() % 4 == 0 ? bytes.count : min(bytes.count, 8 + 400)
                    if limit > 0 { bytes[Int(rng.next() % UInt64(limit))] = UInt8(truncatingIfNeeded: rng.next()) }
                case 1:  // truncate
                    bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
                case 2:  // insert random bytes
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    bytes.insert(contentsOf: (0..<(1 + rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
                case 3:  // overwrite the header length
                    if bytes.count >= 8 {
                        let v = rng.next() % 2 == 0 ? rng.next() : rng.next() % 600
                        bytes.replaceSubrange(0..<8, with: leBytes(v))
                    }
                case 4:  // replace a digit of the header by another digit (offsets, shapes)
                    let digits = bytes.indices.filter { $0 >= 8 && $0 < min(bytes.count, 400) && bytes[$0] >= 48 && bytes[$0] <= 57 }
                    if !digits.isEmpty { bytes[digits[Int(rng.next() % UInt64(digits.count))]] = 48 + UInt8(rng.next() % 10) }
                default:  // delete a byte
                    if !bytes.isEmpty { bytes.remove(at: Int(rng.next() % UInt64(bytes.count))) }
                }
            }
            do {
                let st = try Safetensors(data: Data(bytes), source: "fuzz-\(round)")
                for e in st.entries { XCTAssertEqual(e.tensor.count, e.tensor.shape.reduce(1, *)) }
                decoded += 1
            } catch let e as SafetensorsError {
                XCTAssertTrue(e.description.hasPrefix("fuzz-\(round): "), e.description)
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 1000)
    }
}
