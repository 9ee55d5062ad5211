import Foundation
import XCTest
@testable import Recurrent

/// A fresh temporary directory, removed when the test case finishes.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("recurrent-io-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// The message of the error `body` throws (fails the test when nothing is thrown).
func errorMessage(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> String {
    do {
        try body()
        XCTFail("expected an error", file: file, line: line)
        return ""
    } catch {
        return "\(error)"
    }
}

/// Little-endian bytes of a value.
func leBytes<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
    withUnsafeBytes(of: v.littleEndian) { Array($0) }
}

/// A safetensors file laid out exactly as the reference implementation (`safetensors` Rust
/// crate, used by `safetensors.torch.save_file`) writes it, built independently of the
/// library's writer: compact JSON with `__metadata__` first, tensors ordered by dtype
/// (F64 before F32) then by name, header padded with spaces to a multiple of 8.
func referenceSafetensors(_ tensors: [(name: String, shape: [Int], values: [Double], f64: Bool)], metadata: [String: String] = [:]) -> Data {
    let ordered = tensors.sorted { a, b in
        if a.f64 != b.f64 { return a.f64 }
        return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
    }
    var parts: [String] = []
    if !metadata.isEmpty {
        parts.append("\"__metadata__\":{" + metadata.keys.sorted().map { "\"\($0)\":\"\(metadata[$0]!)\"" }.joined(separator: ",") + "}")
    }
    var offset = 0
    var body: [UInt8] = []
    for t in ordered {
        let size = t.values.count * (t.f64 ? 8 : 4)
        parts.append("\"\(t.name)\":{\"dtype\":\"\(t.f64 ? "F64" : "F32")\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + size)]}")
        offset += size
        for v in t.values {
            body += t.f64 ? leBytes(v.bitPattern) : leBytes(Float(v).bitPattern)
        }
    }
    var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
    while header.count % 8 != 0 { header.append(0x20) }
    return Data(leBytes(UInt64(header.count)) + header + body)
}

/// The shared golden vectors (PyTorch, float64), or nil when absent (see `SharedData`).
func goldenDirectory() -> URL? {
    guard let golden = SharedData.root?.appendingPathComponent("golden"),
          FileManager.default.fileExists(atPath: golden.appendingPathComponent("README.md").path) else { return nil }
    return golden
}

/// A golden tensor: shape and row-major float64 values.
struct GoldenTensor {
    var shape: [Int]
    var values: [Double]

    init(_ json: Any) throws {
        guard let dict = json as? [String: Any], let shape = dict["shape"] as? [Int], let data = dict["data"] else {
            throw XCTSkip("unexpected golden tensor layout")
        }
        self.shape = shape
        var flat: [Double] = []
        func walk(_ x: Any) {
            if let a = x as? [Any] { a.forEach(walk) } else if let n = x as? NSNumber { flat.append(n.doubleValue) }
        }
        walk(data)
        values = flat
    }

    var tensor: Tensor { Tensor(shape: shape, scalars: values.map { Float($0) }) }
}
