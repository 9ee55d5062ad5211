/// The mean of several members' outputs (a seed ensemble). Each member is a layer — usually
/// an `ARHighway` holding a whole stack — trained on its own and joined afterwards.
public struct Ensemble: Layer {
    public private(set) var members: [any Layer]

    public init(members: [any Layer]) {
        precondition(!members.isEmpty, "an ensemble needs at least one member")
        self.members = members
    }

    init(config: LayerConfig) throws {
        guard let inner = config.layers, !inner.isEmpty else { throw ModelError.invalidConfiguration("Ensemble needs 'layers' (its members)") }
        self.init(members: try inner.map { try LayerRegistry.makeLayer($0) })
    }

    public var config: LayerConfig {
        var c = LayerConfig(type: "Ensemble")
        c.layers = members.map(\.config)
        return c
    }

    public var parameters: [Parameter] {
        get {
            members.enumerated().flatMap { i, m in
                m.parameters.map { p in
                    var q = Parameter(name: "members.\(i).\(p.name)", value: p.value, isPenalized: p.isPenalized)
                    q.gradient = p.gradient
                    return q
                }
            }
        }
        set {
            var k = 0
            for i in members.indices {
                var ps = members[i].parameters
                for j in ps.indices {
                    ps[j].value = newValue[k].value
                    ps[j].gradient = newValue[k].gradient
                    k += 1
                }
                members[i].parameters = ps
            }
        }
    }

    public mutating func updateEachParameter(_ body: (inout Parameter) throws -> Void) rethrows {
        for i in members.indices { try members[i].updateEachParameter { try $0.visit(prefixed: "members.\(i).", body) } }
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let shapes = try members.map { try $0.outputShape(for: inputShape) }
        guard shapes.allSatisfy({ $0 == shapes[0] }) else { throw ModelError.shapeMismatch("ensemble members give different outputs: \(shapes)") }
        return shapes[0]
    }

    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {
        for i in members.indices {
            var r = rng.fork()
            try members[i].build(inputShape: inputShape, rng: &r)
        }
    }

    private func mean(_ outputs: [Tensor]) -> Tensor {
        var y = outputs[0]
        for o in outputs.dropFirst() { for i in y.scalars.indices { y.scalars[i] += o.scalars[i] } }
        let k = Float(outputs.count)
        for i in y.scalars.indices { y.scalars[i] /= k }
        return y
    }

    public func infer(_ input: Tensor) -> Tensor { mean(members.map { $0.infer(input) }) }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        var outs: [Tensor] = []
        for i in members.indices { outs.append(members[i].forward(input, rng: &rng)) }
        return mean(outs)
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        var g = outputGradient
        let k = Float(members.count)
        for i in g.scalars.indices { g.scalars[i] /= k }
        var dx: Tensor?
        for i in members.indices {
            let d = members[i].backward(g)
            if var acc = dx { for j in acc.scalars.indices { acc.scalars[j] += d.scalars[j] }; dx = acc } else { dx = d }
        }
        return dx!
    }
}
