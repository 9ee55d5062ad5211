import XCTest
@testable import ONNXExport

/// The wire format against bytes worked out by hand from the protobuf encoding rules.
final class ProtobufEncodingTests: XCTestCase {
    private func varintBytes(_ v: UInt64) -> [UInt8] {
        var w = ProtobufWriter()
        w.varint(v)
        return w.bytes
    }

    func testVarintsUseSevenBitGroupsLowFirst() {
        XCTAssertEqual(varintBytes(0), [0x00])
        XCTAssertEqual(varintBytes(1), [0x01])
        XCTAssertEqual(varintBytes(127), [0x7F])
        XCTAssertEqual(varintBytes(128), [0x80, 0x01])
        XCTAssertEqual(varintBytes(150), [0x96, 0x01])
        XCTAssertEqual(varintBytes(300), [0xAC, 0x02])
        var w = ProtobufWriter()
        w.int(3, -1)  // two's complement: ten bytes
        XCTAssertEqual(w.bytes, [0x18] + Array(repeating: 0xFF, count: 9) + [0x01])
    }

    func testScalarAndStringFields() {
        var w = ProtobufWriter()
        w.int(1, 150)
        w.string(2, "testing")
        w.float(2, 1.0)
        XCTAssertEqual(w.bytes, [0x08, 0x96, 0x01, 0x12, 0x07] + Array("testing".utf8) + [0x15, 0x00, 0x00, 0x80, 0x3F])
    }

    func testOperatorSetAndMetadataEntry() {
        var w = ProtobufWriter()
        ONNX.OperatorSetID(version: 17).encode(&w)
        XCTAssertEqual(w.bytes, [0x0A, 0x00, 0x10, 0x11])
        var m = ProtobufWriter()
        ONNX.StringEntry(key: "k", value: "v").encode(&m)
        XCTAssertEqual(m.bytes, [0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76])
    }

    func testFloatTensorIsDimsTypeNameRawLittleEndian() {
        var w = ProtobufWriter()
        ONNX.Tensor(name: "w", floats: [1, -2], dims: [2]).encode(&w)
        XCTAssertEqual(w.bytes, [0x08, 0x02, 0x10, 0x01, 0x42, 0x01, 0x77, 0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        var s = ProtobufWriter()
        ONNX.Tensor(name: "a", int64s: [-1], dims: []).encode(&s)  // 0-D: no dims field
        XCTAssertEqual(s.bytes, [0x10, 0x07, 0x42, 0x01, 0x61, 0x4A, 0x08] + Array(repeating: 0xFF, count: 8))
    }

    func testIntsAttributeIsUnpackedWithItsTypeCode() {
        var w = ProtobufWriter()
        ONNX.Attribute(name: "perm", value: .ints([1, 0, 2])).encode(&w)
        XCTAssertEqual(w.bytes, [0x0A, 0x04] + Array("perm".utf8) + [0x40, 0x01, 0x40, 0x00, 0x40, 0x02, 0xA0, 0x01, 0x07])
        var s = ProtobufWriter()
        ONNX.Attribute(name: "direction", value: .string("bidirectional")).encode(&s)
        XCTAssertEqual(s.bytes, [0x0A, 0x09] + Array("direction".utf8) + [0x22, 0x0D] + Array("bidirectional".utf8) + [0xA0, 0x01, 0x03])
    }

    func testValueInfoNestsTypeTensorShapeDims() {
        var w = ProtobufWriter()
        ONNX.ValueInfo(name: "x", shape: [.named("batch"), .size(3)]).encode(&w)
        let dim1: [UInt8] = [0x0A, 0x07, 0x12, 0x05] + Array("batch".utf8)
        let dim2: [UInt8] = [0x0A, 0x02, 0x08, 0x03]
        let shape: [UInt8] = [0x12, UInt8(dim1.count + dim2.count)] + dim1 + dim2
        let tensor: [UInt8] = [0x08, 0x01] + shape
        let type: [UInt8] = [0x0A, UInt8(tensor.count)] + tensor
        XCTAssertEqual(w.bytes, [0x0A, 0x01, 0x78, 0x12, UInt8(type.count)] + type)
    }

    func testNodeListsInputsOutputsNameTypeAttributes() throws {
        var w = ProtobufWriter()
        ONNX.Node(opType: "Relu", inputs: ["a", ""], outputs: ["b"], name: "n", attributes: [.init(name: "k", value: .int(2))]).encode(&w)
        let fields = try ProtoField.parse(w.bytes)
        XCTAssertEqual(fields.map(\.number), [1, 1, 2, 3, 4, 5])
        XCTAssertEqual(fields.all(1).map(\.string), ["a", ""], "an empty name leaves an optional input out")
        XCTAssertEqual(fields.first(4)?.string, "Relu")
        XCTAssertEqual(fields.first(5)?.message.first(3)?.int, 2)
        XCTAssertEqual(fields.first(5)?.message.first(20)?.int, 2, "AttributeType INT")
    }
}
