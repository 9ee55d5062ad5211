/// The subset of ONNX's protobuf messages an exported model uses, each with its encoder.
///
/// Field numbers are those of `onnx.proto` (proto2): repeated scalars are written unpacked,
/// one key per element, as proto2 does by default.
enum ONNX {
    /// `TensorProto.DataType` values used here.
    enum DataType: Int64 {
        case float = 1
        case int64 = 7
    }

    /// `OperatorSetIdProto`: domain 1, version 2.
    struct OperatorSetID: Equatable {
        var domain = ""
        var version: Int64

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, domain)
            w.int(2, version)
        }
    }

    /// `StringStringEntryProto`: key 1, value 2.
    struct StringEntry: Equatable {
        var key: String
        var value: String

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, key)
            w.string(2, value)
        }
    }

    /// `TensorProto`: dims 1, data_type 2, name 8, raw_data 9 (little-endian values).
    struct Tensor: Equatable {
        var name: String
        var dataType: DataType
        var dims: [Int]
        var rawData: [UInt8]

        init(name: String, floats: [Float], dims: [Int]) {
            precondition(dims.reduce(1, *) == floats.count, "tensor \(name): \(floats.count) values for dims \(dims)")
            self.name = name
            dataType = .float
            self.dims = dims
            var w = ProtobufWriter()
            for v in floats { w.appendLittleEndian(v.bitPattern) }
            rawData = w.bytes
        }

        init(name: String, int64s: [Int64], dims: [Int]) {
            precondition(dims.reduce(1, *) == int64s.count, "tensor \(name): \(int64s.count) values for dims \(dims)")
            self.name = name
            dataType = .int64
            self.dims = dims
            var raw: [UInt8] = []
            raw.reserveCapacity(int64s.count * 8)
            for v in int64s {
                let u = UInt64(bitPattern: v)
                for k in 0..<8 { raw.append(UInt8((u >> (8 * UInt64(k))) & 0xFF)) }
            }
            rawData = raw
        }

        func encode(_ w: inout ProtobufWriter) {
            for d in dims { w.int(1, Int64(d)) }
            w.int(2, dataType.rawValue)
            w.string(8, name)
            w.bytes(9, rawData)
        }
    }

    /// `AttributeProto`: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20.
    struct Attribute: Equatable {
        enum Value: Equatable {
            case float(Float)
            case int(Int64)
            case string(String)
            case tensor(Tensor)
            case floats([Float])
            case ints([Int64])
            case strings([String])
        }

        var name: String
        var value: Value

        /// `AttributeProto.AttributeType`.
        var typeCode: Int64 {
            switch value {
            case .float: return 1
            case .int: return 2
            case .string: return 3
            case .tensor: return 4
            case .floats: return 6
            case .ints: return 7
            case .strings: return 8
            }
        }

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, name)
            switch value {
            case .float(let f): w.float(2, f)
            case .int(let i): w.int(3, i)
            case .string(let s): w.string(4, s)
            case .tensor(let t): w.message(5) { t.encode(&$0) }
            case .floats(let fs): for f in fs { w.float(7, f) }
            case .ints(let values): for i in values { w.int(8, i) }
            case .strings(let ss): for s in ss { w.string(9, s) }
            }
            w.int(20, typeCode)
        }
    }

    /// `NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
    /// An empty input name is ONNX's "optional input left out".
    struct Node: Equatable {
        var opType: String
        var inputs: [String]
        var outputs: [String]
        var name: String
        var attributes: [Attribute] = []

        func encode(_ w: inout ProtobufWriter) {
            for i in inputs { w.string(1, i) }
            for o in outputs { w.string(2, o) }
            w.string(3, name)
            w.string(4, opType)
            for a in attributes { w.message(5) { a.encode(&$0) } }
        }
    }

    /// One axis of a tensor type: a fixed size or a named (dynamic) one.
    enum Dimension: Equatable {
        case size(Int)
        case named(String)
    }

    /// `ValueInfoProto` (name 1, type 2, doc_string 3) of a tensor: `TypeProto.tensor_type` 1
    /// holding `elem_type` 1 and `shape` 2; `TensorShapeProto.dim` 1 with `dim_value` 1 or
    /// `dim_param` 2.
    struct ValueInfo: Equatable {
        var name: String
        var elementType: DataType = .float
        var shape: [Dimension]
        var documentation = ""

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, name)
            w.message(2) { type in
                type.message(1) { tensor in
                    tensor.int(1, elementType.rawValue)
                    tensor.message(2) { shapeWriter in
                        for d in shape {
                            shapeWriter.message(1) { dim in
                                switch d {
                                case .size(let n): dim.int(1, Int64(n))
                                case .named(let s): dim.string(2, s)
                                }
                            }
                        }
                    }
                }
            }
            if !documentation.isEmpty { w.string(3, documentation) }
        }
    }

    /// `GraphProto`: node 1, name 2, initializer 5, doc_string 10, input 11, output 12.
    struct Graph: Equatable {
        var name: String
        var nodes: [Node] = []
        var initializers: [Tensor] = []
        var inputs: [ValueInfo] = []
        var outputs: [ValueInfo] = []
        var documentation = ""

        func encode(_ w: inout ProtobufWriter) {
            for n in nodes { w.message(1) { n.encode(&$0) } }
            w.string(2, name)
            for t in initializers { w.message(5) { t.encode(&$0) } }
            if !documentation.isEmpty { w.string(10, documentation) }
            for i in inputs { w.message(11) { i.encode(&$0) } }
            for o in outputs { w.message(12) { o.encode(&$0) } }
        }
    }

    /// `ModelProto`: ir_version 1, producer_name 2, producer_version 3, doc_string 6,
    /// graph 7, opset_import 8, metadata_props 14.
    struct Model: Equatable {
        var irVersion: Int64
        var opsets: [OperatorSetID]
        var producerName: String
        var producerVersion: String
        var documentation = ""
        var graph: Graph
        var metadata: [StringEntry] = []

        func encode(_ w: inout ProtobufWriter) {
            w.int(1, irVersion)
            w.string(2, producerName)
            w.string(3, producerVersion)
            if !documentation.isEmpty { w.string(6, documentation) }
            w.message(7) { graph.encode(&$0) }
            for o in opsets { w.message(8) { o.encode(&$0) } }
            for m in metadata { w.message(14) { m.encode(&$0) } }
        }

        /// The serialized model: the bytes of a `.onnx` file.
        func serialized() -> [UInt8] {
            var w = ProtobufWriter()
            encode(&w)
            return w.bytes
        }
    }
}
