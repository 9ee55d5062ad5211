/// Runs a recurrent layer forwards and a copy of it backwards in time, and merges the two.
///
/// Parameters follow PyTorch's bidirectional layout: the backward copy's names end in
/// `_reverse`. With `returnSequences` the output at step t is `[h→_t | h←_t]` (or their sum);
/// otherwise `[h→_T | h←_0]`, each direction's final state.
public struct Bidirectional: Layer {
    public enum Merge: String, Sendable, CaseIterable { case concat, sum }

    public let merge: Merge
    public let returnSequences: Bool
    private let wrapped: LayerConfig
    var forwardCore: RecurrentCore
    var backwardCore: RecurrentCore
    /// dL/d(initial states) from the last `backward`: `[h→₀, (c→₀), h←₀, (c←₀)]`.
    public private(set) var initialStateGradients: [Tensor] = []

    /// - Parameters:
    ///   - layer: the recurrent layer to run in both directions (its options are kept).
    ///   - merge: how the two directions combine.
    public init(_ layer: some RecurrentLayer, merge: Merge = .concat) {
        self.merge = merge
        self.returnSequences = layer.returnSequences
        self.wrapped = layer.config
        forwardCore = RecurrentCore(cell: layer.cell, units: layer.units)
        forwardCore.bpttSteps = layer.bpttSteps
        backwardCore = RecurrentCore(cell: layer.cell, units: layer.units, nameSuffix: "_reverse")
        backwardCore.bpttSteps = layer.bpttSteps
    }

    init(config: LayerConfig) throws {
        guard let inner = config.layer?.value else { throw ModelError.invalidConfiguration("Bidirectional needs 'layer'") }
        guard let layer = try LayerRegistry.makeLayer(inner) as? any RecurrentLayer else {
            throw ModelError.invalidConfiguration("Bidirectional wraps SimpleRNN, LSTM or GRU, not \(inner.type)")
        }
        guard let merge = Merge(rawValue: config.merge ?? "concat") else {
            throw ModelError.invalidConfiguration("Bidirectional merge must be concat or sum, got \(config.merge ?? "")")
        }
        self.init(layer, merge: merge)
    }

    public var config: LayerConfig {
        var c = LayerConfig(type: "Bidirectional")
        c.merge = merge.rawValue
        c.layer = LayerConfig.Box(wrapped)
        return c
    }

    public var parameters: [Parameter] {
        get { forwardCore.parameters + backwardCore.parameters }
        set {
            forwardCore.parameters = Array(newValue[0..<4])
            backwardCore.parameters = Array(newValue[4..<8])
        }
    }

    public mutating func updateEachParameter(_ body: (inout Parameter) throws -> Void) rethrows {
        for j in forwardCore.parameters.indices { try body(&forwardCore.parameters[j]) }
        for j in backwardCore.parameters.indices { try body(&backwardCore.parameters[j]) }
    }

    public mutating func releaseTrainingCaches() {
        forwardCore.clearCache()
        backwardCore.clearCache()
    }

    private var width: Int { merge == .concat ? 2 * forwardCore.units : forwardCore.units }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] > 0 else {
            throw ModelError.shapeMismatch("Bidirectional needs input [time, features], got \(inputShape)")
        }
        return returnSequences ? [inputShape[0], width] : [width]
    }

    public mutating func build(inputShape: [Int], rng: inout SeededGenerator) throws {
        _ = try outputShape(for: inputShape)
        forwardCore.build(inputSize: inputShape[1], rng: &rng)
        backwardCore.build(inputSize: inputShape[1], rng: &rng)
    }

    public func infer(_ input: Tensor) -> Tensor {
        let f = forwardCore.runWithoutCache(input, initialStates: nil, needsSequence: returnSequences)
        let r = backwardCore.runWithoutCache(input.reversingTime(), initialStates: nil, needsSequence: returnSequences)
        return combine(f, r, batch: input.shape[0], steps: input.shape[1])
    }

    public mutating func forward(_ input: Tensor, rng: inout SeededGenerator) -> Tensor {
        let f = forwardCore.run(input, initialStates: nil, needsSequence: returnSequences)
        let r = backwardCore.run(input.reversingTime(), initialStates: nil, needsSequence: returnSequences)
        return combine(f, r, batch: input.shape[0], steps: input.shape[1])
    }

    /// Final states of both directions from a call: `[h→, (c→), h←, (c←)]`.
    public func finalStates(_ input: Tensor) -> [Tensor] {
        forwardCore.runWithoutCache(input, initialStates: nil, needsSequence: false).finalStates
            + backwardCore.runWithoutCache(input.reversingTime(), initialStates: nil, needsSequence: false).finalStates
    }

    private func combine(_ f: RecurrentCore.Output, _ r: RecurrentCore.Output, batch b: Int, steps t: Int) -> Tensor {
        let h = forwardCore.units, w = width
        if !returnSequences {
            return Tensor(shape: [b, w], scalars: merged(f.finalStates[0].scalars, r.finalStates[0].scalars, rows: b, h: h))
        }
        // Reverse run's step s read x_{T−1−s}; it belongs at time T−1−s.
        var out = [Float](repeating: 0, count: b * t * w)
        for step in 0..<t {
            let rs = t - 1 - step
            for bi in 0..<b {
                let fBase = (bi * t + step) * h, rBase = (bi * t + rs) * h, o = (bi * t + step) * w
                for j in 0..<h {
                    if merge == .concat {
                        out[o + j] = f.hiddenSequence[fBase + j]
                        out[o + h + j] = r.hiddenSequence[rBase + j]
                    } else {
                        out[o + j] = f.hiddenSequence[fBase + j] + r.hiddenSequence[rBase + j]
                    }
                }
            }
        }
        return Tensor(shape: [b, t, w], scalars: out)
    }

    private func merged(_ a: [Float], _ c: [Float], rows: Int, h: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * width)
        for bi in 0..<rows {
            for j in 0..<h {
                if merge == .concat {
                    out[bi * 2 * h + j] = a[bi * h + j]
                    out[bi * 2 * h + h + j] = c[bi * h + j]
                } else {
                    out[bi * h + j] = a[bi * h + j] + c[bi * h + j]
                }
            }
        }
        return out
    }

    public mutating func backward(_ outputGradient: Tensor) -> Tensor {
        let h = forwardCore.units, w = width
        let b = outputGradient.shape[0]
        if !returnSequences {
            var df = [Float](repeating: 0, count: b * h), dr = df
            for bi in 0..<b {
                for j in 0..<h {
                    df[bi * h + j] = outputGradient.scalars[bi * w + j]
                    dr[bi * h + j] = outputGradient.scalars[bi * w + (merge == .concat ? h : 0) + j]
                }
            }
            let extra = forwardCore.cell == .lstm ? [Tensor(shape: [b, h])] : []
            let gf = forwardCore.backward(sequenceGradient: nil, finalStateGradients: [Tensor(shape: [b, h], scalars: df)] + extra)
            let gr = backwardCore.backward(sequenceGradient: nil, finalStateGradients: [Tensor(shape: [b, h], scalars: dr)] + extra)
            initialStateGradients = gf.initialStates + gr.initialStates
            return sum(gf.input, gr.input.reversingTime())
        }
        let t = outputGradient.shape[1]
        var df = [Float](repeating: 0, count: t * b * h), dr = df  // time-major, in each run's own step order
        for step in 0..<t {
            let rs = t - 1 - step
            for bi in 0..<b {
                let o = (bi * t + step) * w
                for j in 0..<h {
                    df[(step * b + bi) * h + j] = outputGradient.scalars[o + j]
                    dr[(rs * b + bi) * h + j] = outputGradient.scalars[o + (merge == .concat ? h : 0) + j]
                }
            }
        }
        let gf = forwardCore.backward(sequenceGradient: df, finalStateGradients: nil)
        let gr = backwardCore.backward(sequenceGradient: dr, finalStateGradients: nil)
        initialStateGradients = gf.initialStates + gr.initialStates
        return sum(gf.input, gr.input.reversingTime())
    }

    private func sum(_ a: Tensor, _ b: Tensor) -> Tensor {
        var out = a
        for i in out.scalars.indices { out.scalars[i] += b.scalars[i] }
        return out
    }
}

extension Tensor {
    /// `[B, T, F]` with the time axis reversed.
    public func reversingTime() -> Tensor {
        precondition(rank == 3, "reversingTime needs [batch, time, features]")
        let b = shape[0], t = shape[1], f = shape[2]
        var out = [Float](repeating: 0, count: count)
        for bi in 0..<b {
            for s in 0..<t {
                let src = (bi * t + s) * f, dst = (bi * t + (t - 1 - s)) * f
                for k in 0..<f { out[dst + k] = scalars[src + k] }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}
