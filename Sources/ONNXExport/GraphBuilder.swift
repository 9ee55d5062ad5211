/// Collects the nodes, constant tensors, inputs and outputs of an ONNX graph, and gives
/// every value a unique name. The helpers emit one operator each and return the name of
/// its output.
struct GraphBuilder {
    private(set) var nodes: [ONNX.Node] = []
    private(set) var initializers: [ONNX.Tensor] = []
    private(set) var inputs: [ONNX.ValueInfo] = []
    private(set) var outputs: [ONNX.ValueInfo] = []
    private var used: Set<String> = []
    private var int64Constants: [[Int64]: String] = [:]

    /// `base`, or `base_2`, `base_3`… when taken.
    mutating func unique(_ base: String) -> String {
        var name = base, k = 2
        while used.contains(name) { name = "\(base)_\(k)"; k += 1 }
        used.insert(name)
        return name
    }

    mutating func addInput(_ info: ONNX.ValueInfo) {
        used.insert(info.name)
        inputs.append(info)
    }

    mutating func addOutput(_ info: ONNX.ValueInfo) { outputs.append(info) }

    /// A float constant (weights, scaling vectors).
    mutating func constant(_ base: String, _ values: [Float], dims: [Int]) -> String {
        let name = unique(base)
        initializers.append(ONNX.Tensor(name: name, floats: values, dims: dims))
        return name
    }

    /// A 1-D int64 constant (shapes, axes, slice bounds), shared between nodes.
    mutating func ints(_ values: [Int64]) -> String {
        if let name = int64Constants[values] { return name }
        let name = unique("const_i64_" + values.map { $0 < 0 ? "m\(-$0)" : "\($0)" }.joined(separator: "_"))
        initializers.append(ONNX.Tensor(name: name, int64s: values, dims: [values.count]))
        int64Constants[values] = name
        return name
    }

    /// A 0-D int64 constant (CumSum's axis).
    mutating func scalarInt(_ value: Int64) -> String {
        let name = unique("const_axis_\(value)")
        initializers.append(ONNX.Tensor(name: name, int64s: [value], dims: []))
        return name
    }

    /// A zero float tensor that a graph input of the same name overrides when fed.
    mutating func defaultForInput(_ name: String, dims: [Int]) {
        initializers.append(ONNX.Tensor(name: name, floats: [Float](repeating: 0, count: dims.reduce(1, *)), dims: dims))
    }

    /// Emits one node; returns its outputs (named from `base` unless `outputNames` are given).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], outputs count: Int = 1, base: String? = nil,
                       outputNames: [String]? = nil, attributes: [ONNX.Attribute] = []) -> [String] {
        let stem = base ?? op.lowercased()
        let outs = outputNames ?? (0..<count).map { unique(count == 1 ? stem : "\(stem)_\($0)") }
        nodes.append(ONNX.Node(opType: op, inputs: inputs, outputs: outs, name: unique("node_\(stem)"), attributes: attributes))
        return outs
    }

    mutating func op(_ op: String, _ inputs: String..., base: String? = nil, attributes: [ONNX.Attribute] = []) -> String {
        node(op, inputs, base: base, attributes: attributes)[0]
    }

    mutating func transpose(_ x: String, _ perm: [Int64], base: String? = nil) -> String {
        op("Transpose", x, base: base, attributes: [.init(name: "perm", value: .ints(perm))])
    }

    mutating func squeeze(_ x: String, axes: [Int64], base: String? = nil) -> String {
        op("Squeeze", x, ints(axes), base: base)
    }

    mutating func reshape(_ x: String, _ shape: [Int64], base: String? = nil) -> String {
        op("Reshape", x, ints(shape), base: base)
    }

    mutating func reduceSum(_ x: String, axes: [Int64], base: String? = nil) -> String {
        op("ReduceSum", x, ints(axes), base: base, attributes: [.init(name: "keepdims", value: .int(0))])
    }

    mutating func slice(_ x: String, starts: [Int64], ends: [Int64], axes: [Int64], base: String? = nil) -> String {
        op("Slice", x, ints(starts), ints(ends), ints(axes), base: base)
    }

    mutating func concat(_ xs: [String], axis: Int64, base: String? = nil) -> String {
        node("Concat", xs, base: base, attributes: [.init(name: "axis", value: .int(axis))])[0]
    }
}
