/// Inverted dropout: in training each element is zeroed with probability `rate` and the rest
/// scaled by 1/(1−rate); at inference it is the identity.
public struct Dropout: Layer {
    public let rate: Float
    public var parameters: [Parameter] = []
    /// When set, used instead of a random mask (values 0 or 1/(1−rate)); for gradient checks.
    public var fixedMask: [Float]?
    private var mask: [Float] = []

    public init(_ rate: Float) {
        precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1)")
        self.rate = rate
    }

    init(config: LayerConfig) throws {
        let rate = try config.require(config.rate, "rate")
        guard rate >= 0 && rate < 1 else { throw ModelError.invalidConfiguration("Dropout rate must be in [0, 1), got \(rate)") }
        self.init(rate)
    }

    public var config: LayerConfig {
        var c = LayerConfig(type: "Dropout")
        c.rate = rate
        return c
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {}
    public func infer(_ input: Tensor) -> Tensor { input }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        if let fixedMask {
            precondition(fixedMask.count == input.count, "fixed dropout mask has \(fixedMask.count) elements, input \(input.count)")
            mask = fixedMask
        } else {
            let keep = 1 - rate, scale = rate > 0 ? 1 / keep : 1
            if mask.count != input.count { mask = [Float](repeating: scale, count: input.count) }
            // One draw per element in index order (the same stream as an element-wise loop).
            mask.withUnsafeMutableBufferPointer { m in
                if rate > 0 {
                    for i in m.indices { m[i] = rng.nextUniform() < rate ? 0 : scale }
                } else {
                    m.update(repeating: scale)
                }
            }
        }
        var out = input
        out.scalars.withUnsafeMutableBufferPointer { o in
            mask.withUnsafeBufferPointer { m in for i in o.indices { o[i] *= m[i] } }
        }
        return out
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        var dx = outputGradient
        dx.scalars.withUnsafeMutableBufferPointer { d in
            mask.withUnsafeBufferPointer { m in for i in d.indices { d[i] *= m[i] } }
        }
        return dx
    }
}
