import Foundation

/// A minimal protobuf reader for the tests: splits a message into (field, value) pairs so
/// exported bytes can be checked field by field without the exporter's own code.
struct ProtoField {
    enum Value: Equatable { case varint(UInt64), fixed32(UInt32), fixed64(UInt64), bytes([UInt8]) }
    var number: Int
    var value: Value

    var bytes: [UInt8] { if case .bytes(let b) = value { return b }; return [] }
    var string: String { String(decoding: bytes, as: UTF8.self) }
    var int: Int64 { if case .varint(let v) = value { return Int64(bitPattern: v) }; return .min }
    var message: [ProtoField] { (try? ProtoField.parse(bytes)) ?? [] }
}

enum ProtoParseError: Error { case truncated, badWireType(UInt64) }

extension ProtoField {
    static func parse(_ data: [UInt8]) throws -> [ProtoField] {
        var i = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < data.count else { throw ProtoParseError.truncated }
                let b = data[i]; i += 1
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
            }
        }
        var fields: [ProtoField] = []
        while i < data.count {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append(ProtoField(number: number, value: .varint(try varint())))
            case 1:
                guard i + 8 <= data.count else { throw ProtoParseError.truncated }
                var v: UInt64 = 0
                for k in 0..<8 { v |= UInt64(data[i + k]) << (8 * UInt64(k)) }
                i += 8
                fields.append(ProtoField(number: number, value: .fixed64(v)))
            case 2:
                let n = Int(try varint())
                guard i + n <= data.count else { throw ProtoParseError.truncated }
                fields.append(ProtoField(number: number, value: .bytes(Array(data[i..<(i + n)]))))
                i += n
            case 5:
                guard i + 4 <= data.count else { throw ProtoParseError.truncated }
                var v: UInt32 = 0
                for k in 0..<4 { v |= UInt32(data[i + k]) << (8 * UInt32(k)) }
                i += 4
                fields.append(ProtoField(number: number, value: .fixed32(v)))
            case let w: throw ProtoParseError.badWireType(w)
            }
        }
        return fields
    }
}

extension Array where Element == ProtoField {
    func all(_ number: Int) -> [ProtoField] { filter { $0.number == number } }
    func first(_ number: Int) -> ProtoField? { first { $0.number == number } }
}

/// The parts of an exported ONNX model the tests look at.
struct DecodedModel {
    struct Node { var op: String; var inputs: [String]; var outputs: [String]; var attributes: [String: [ProtoField]] }
    var irVersion: Int64
    var opset: Int64
    var metadata: [String: String]
    var nodes: [Node]
    /// Initializers: name → (dims, float values for FLOAT tensors).
    var initializers: [String: (dims: [Int64], floats: [Float])]
    var inputs: [String]
    var outputs: [String]
    /// Input/output name → shape (a number, or the symbolic name).
    var shapes: [String: [String]]

    init(_ bytes: [UInt8]) throws {
        let model = try ProtoField.parse(bytes)
        irVersion = model.first(1)?.int ?? -1
        opset = model.first(8)?.message.first(2)?.int ?? -1
        metadata = [:]
        for m in model.all(14) { metadata[m.message.first(1)?.string ?? ""] = m.message.first(2)?.string ?? "" }
        let graph = model.first(7)?.message ?? []
        nodes = graph.all(1).map { n in
            let f = n.message
            var attributes: [String: [ProtoField]] = [:]
            for a in f.all(5) { attributes[a.message.first(1)?.string ?? ""] = a.message }
            return Node(op: f.first(4)?.string ?? "", inputs: f.all(1).map(\.string), outputs: f.all(2).map(\.string), attributes: attributes)
        }
        initializers = [:]
        for t in graph.all(5) {
            let f = t.message
            let raw = f.first(9)?.bytes ?? []
            let floats = f.first(2)?.int == 1
                ? stride(from: 0, to: raw.count, by: 4).map { k in Float(bitPattern: UInt32(raw[k]) | UInt32(raw[k + 1]) << 8 | UInt32(raw[k + 2]) << 16 | UInt32(raw[k + 3]) << 24) }
                : []
            initializers[f.first(8)?.string ?? ""] = (f.all(1).map(\.int), floats)
        }
        var shapes: [String: [String]] = [:]
        func info(_ v: ProtoField) -> String {
            let f = v.message
            let dims = f.first(2)?.message.first(1)?.message.first(2)?.message.all(1) ?? []
            shapes[f.first(1)?.string ?? ""] = dims.map { d in
                let m = d.message
                return m.first(1).map { String($0.int) } ?? m.first(2)?.string ?? "?"
            }
            return f.first(1)?.string ?? ""
        }
        inputs = graph.all(11).map(info)
        outputs = graph.all(12).map(info)
        self.shapes = shapes
    }
}
