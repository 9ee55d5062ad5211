import Foundation
import XCTest
@testable import Recurrent

final class IONPYTests: XCTestCase {
    /// A `.npy` file: magic, version, little-endian header length, the header text padded with
    /// spaces to `headerLength` (newline last), then the data, as `numpy.save` lays it out.
    func npy(version: UInt8, _ dict: String, headerLength: Int, data: [UInt8]) -> [UInt8] {
        var header = Array(dict.utf8)
        header += [UInt8](repeating: 0x20, count: headerLength - header.count - 1) + [0x0A]
        let length = version == 1 ? leBytes(UInt16(headerLength)) : leBytes(UInt32(headerLength))
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + header + data
    }

    // Header lengths below are those numpy 2.x wrote for the same arrays (checked while writing
    // this test with np.save / np.lib.format.write_array).
    var f4Vector: [UInt8] {  // np.save(np.array([1.5, -2], dtype=np.float32))
        npy(version: 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", headerLength: 118, data: [0, 0, 192, 63, 0, 0, 0, 192])
    }

    var f8Matrix: [UInt8] {  // np.save(np.arange(6, dtype=np.float64).reshape(2, 3))
        npy(version: 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", headerLength: 118,
            data: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 240, 63, 0, 0, 0, 0, 0, 0, 0, 64,
                   0, 0, 0, 0, 0, 0, 8, 64, 0, 0, 0, 0, 0, 0, 16, 64, 0, 0, 0, 0, 0, 0, 20, 64])
    }

    func testWritesBytesIdenticalToNumPy() {
        XCTAssertEqual([UInt8](NPY.encode(Tensor(shape: [2], scalars: [1.5, -2]))), f4Vector)
        XCTAssertEqual([UInt8](NPY.encode(Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]), dtype: .float64)), f8Matrix)
        // 0-d: np.save(np.float32(3.0).reshape(()))
        XCTAssertEqual([UInt8](NPY.encode(Tensor(shape: [], scalars: [3]))),
                       npy(version: 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", headerLength: 118, data: [0, 0, 64, 64]))
        // empty: np.save(np.zeros((0, 3), np.float32))
        XCTAssertEqual([UInt8](NPY.encode(Tensor(shape: [0, 3], scalars: []))),
                       npy(version: 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", headerLength: 118, data: []))
    }

    func testReadsVersions1To3AndDTypes() throws {
        XCTAssertEqual(try NPY.decode(Data(f4Vector)), Tensor(shape: [2], scalars: [1.5, -2]))
        XCTAssertEqual(try NPY.decode(Data(f8Matrix)), Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        let data2x2: [UInt8] = [0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64]
        for version: UInt8 in [2, 3] {  // np.lib.format.write_array(..., version=(2, 0)) and (3, 0)
            let bytes = npy(version: version, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", headerLength: 116, data: data2x2)
            XCTAssertEqual(try NPY.decode(Data(bytes)), Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        }
        let i8 = npy(version: 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", headerLength: 118,
                     data: [253, 255, 255, 255, 255, 255, 255, 255, 7, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try NPY.decode(Data(i8)).scalars, [-3, 7])
        let i4 = npy(version: 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", headerLength: 118, data: leBytes(Int32(-9)))
        XCTAssertEqual(try NPY.decode(Data(i4)).scalars, [-9])
        let u1 = npy(version: 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2), }", headerLength: 118, data: [0, 255])
        XCTAssertEqual(try NPY.decode(Data(u1)), Tensor(shape: [1, 2], scalars: [0, 255]))
        let f2 = npy(version: 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", headerLength: 118, data: [0, 56, 0, 192, 255, 123, 1, 0])
        XCTAssertEqual(try NPY.decode(Data(f2)).scalars, [0.5, -2, 65504, 0x1p-24])
        // Key order and spacing are free in the dictionary.
        let reordered = npy(version: 1, "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}", headerLength: 70, data: [0, 0, 192, 63, 0, 0, 0, 192])
        XCTAssertEqual(try NPY.decode(Data(reordered)).scalars, [1.5, -2])
    }

    func testRoundTripF4AndF8ThroughFiles() throws {
        let dir = try makeTemporaryDirectory(self)
        var rng = SeededGenerator(seed: 2)
        let t = Tensor(shape: [3, 4, 2], scalars: (0..<24).map { _ in rng.nextNormal() })
        for dtype in [NPY.WriteType.float32, .float64] {
            let url = dir.appendingPathComponent("x-\(dtype).npy")
            try NPY.write(t, to: url, dtype: dtype)
            let back = try NPY.read(from: url)
            XCTAssertEqual(back.shape, t.shape)
            XCTAssertEqual(back.scalars.map(\.bitPattern), t.scalars.map(\.bitPattern))
        }
        // A header too long for version 1 switches to version 2.
        let wide = Tensor(shape: [Int](repeating: 1, count: 25000), scalars: [5])
        let bytes = [UInt8](NPY.encode(wide))
        XCTAssertEqual(bytes[6], 2)
        XCTAssertEqual((bytes.count - 4) % 64, 0)
        XCTAssertEqual(try NPY.decode(Data(bytes)), wide)
    }

    func message(_ bytes: [UInt8]) -> String {
        errorMessage { _ = try NPY.decode(Data(bytes), source: "x.npy") }
    }

    func testRejectsBadFilesWithMessages() {
        XCTAssertEqual(message([]), "x.npy: not a NumPy .npy file: the file is empty")
        XCTAssertEqual(message(Array("PK\u{3}\u{4}hello".utf8)), "x.npy: not a NumPy .npy file: no \\x93NUMPY magic at the start")
        XCTAssertEqual(message([0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0]), "x.npy: .npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)")
        let fortran = npy(version: 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", headerLength: 118, data: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(message(fortran), "x.npy: fortran_order True (column-major) arrays are not supported; save with np.ascontiguousarray")
        let big = npy(version: 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", headerLength: 118, data: [63, 128, 0, 0])
        XCTAssertEqual(message(big), "x.npy: dtype '>f4' is not supported: big-endian data is not supported")
        let object = npy(version: 1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", headerLength: 118, data: [0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(message(object), "x.npy: dtype '|O' is not supported: object arrays are not supported (they need pickle)")
        let truncated = Array(f4Vector.dropLast(3))
        XCTAssertEqual(message(truncated), "x.npy: truncated: the shape needs 8 bytes of data, file has 5")
        let unparsable = npy(version: 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", headerLength: 118, data: [0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertTrue(message(unparsable).hasPrefix("x.npy: invalid .npy header: "), message(unparsable))
        let noShape = npy(version: 1, "{'descr': '<f4', 'fortran_order': False}", headerLength: 118, data: [])
        XCTAssertEqual(message(noShape), "x.npy: invalid .npy header: missing 'shape'")
        let headerPastEnd = [0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF] + Array("{}".utf8)
        XCTAssertEqual(message(headerPastEnd), "x.npy: invalid .npy header: header length 65535 runs past the end of the file (2 bytes follow)")
        let structured = npy(version: 1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", headerLength: 118, data: [0, 0, 0, 0])
        XCTAssertTrue(message(structured).contains("structured dtypes are not supported"))
    }

    func testMissingFileNamesIt() throws {
        let dir = try makeTemporaryDirectory(self)
        XCTAssertTrue(errorMessage { _ = try NPY.read(from: dir.appendingPathComponent("gone.npy")) }.hasPrefix("gone.npy: cannot read:"))
    }

    func testFuzzedMutationsNeverTrap() {
        let valid = [UInt8](NPY.encode(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])))
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<(1 + rng.next() % 3) {
                switch rng.next() % 4 {
                case 0: if !bytes.isEmpty { bytes[Int(rng.next() % UInt64(min(bytes.count, 80)))] = UInt8(truncatingIfNeeded: rng.next()) }
                case 1: bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
                case 2:
                    let digits = bytes.indices.filter { bytes[$0] >= 48 && bytes[$0] <= 57 }
                    if !digits.isEmpty { bytes[digits[Int(rng.next() % UInt64(digits.count))]] = 48 + UInt8(rng.next() % 10) }
                default: if !bytes.isEmpty { bytes.remove(at: Int(rng.next() % UInt64(bytes.count))) }
                }
            }
            if let t = try? NPY.decode(Data(bytes)) { XCTAssertEqual(t.count, t.shape.reduce(1, *)) }
        }
    }
}
