import CKernels

/// The time loop shared by SimpleRNN, LSTM and GRU, for one direction.
///
/// Forward (per SwiftLab/STYLE: input projection hoisted out of the loop):
///   XP = X·W_ihᵀ + b_ih for all steps in one product, then per step
///   HH_t = h_{t−1}·W_hhᵀ + b_hh and the fused cell kernel.
/// Backward (BPTT): per step the cell kernel gives d(XP_t), d(HH_t) and
///   dh_{t−1} = d(HH_t)·W_hh; after the loop the weight gradients are each one product over
///   all steps: dW_hh += d(HH)ᵀ·H_{0..T−1}, dW_ih += d(XP)ᵀ·X.
/// Internal buffers are time-major `[T, B, ·]` so each step's rows are contiguous.
public struct RecurrentCore: Sendable {
    public let cell: RecurrentCell
    public let units: Int
    /// `""` or `"_reverse"`: appended to PyTorch's parameter names.
    public let nameSuffix: String
    /// Truncated BPTT: gradients do not flow across chunk boundaries every `k` steps.
    public var bpttSteps: Int?
    /// When true, `backward` records ‖dL/dh_t‖ (and ‖dL/dc_t‖) for every step.
    public var recordsGradientNorms = false
    /// ‖dL/dh_t‖ for t = 0..<T from the last backward pass (when recorded).
    public private(set) var hiddenGradientNorms: [Float] = []
    /// ‖dL/dc_t‖ for t = 0..<T from the last backward pass (LSTM, when recorded).
    public private(set) var cellGradientNorms: [Float] = []
    public var parameters: [Parameter] = []
    /// Stateful layers start each batch from the previous batch's final states (gradients
    /// do not cross batch boundaries: the carried state is a constant).
    public var isStateful = false
    /// The state carried to the next batch by a stateful layer; nil after `resetStates`.
    public var carriedState: [Tensor]?
    /// F, the input features, read off `weight_ih [G·H, F]` (0 before build).
    var inputSize: Int { parameters.first?.value.shape[1] ?? 0 }
    private var cache: Cache?

    struct Cache {
        var batch: Int, steps: Int
        var xT: [Float]      // [T, B, I]
        var hs: [Float]      // [T+1, B, H], hs[0] = h0
        var cs: [Float]      // [T+1, B, H] (LSTM)
        var gates: [Float]   // [T, B, G·H] activated gates
        var tcs: [Float]     // [T, B, H] tanh(c_t) (LSTM)
        var hh: [Float]      // [T, B, G·H] recurrent pre-activations (GRU needs W_hn h + b_hn)
        var lengths: [Int]?  // valid steps per sequence; steps ≥ length are padding
    }

    /// The result of running the layer over a sequence.
    public struct Output {
        /// h_t for every step, time-major `[T, B, H]`.
        public var hiddenSequence: [Float]
        /// Final states: `[h_T]`, or `[h_T, c_T]` for LSTM, each `[B, H]`.
        public var finalStates: [Tensor]
    }

    public init(cell: RecurrentCell, units: Int, nameSuffix: String = "") {
        self.cell = cell
        self.units = units
        self.nameSuffix = nameSuffix
    }

    var gateWidth: Int { cell.gateCount * units }

    /// Keras initialisation: Glorot-uniform input kernel, orthogonal recurrent kernel, zero
    /// biases except the LSTM forget gate's input bias = 1.
    mutating func build(inputSize: Int, rng: inout SeededGenerator) {
        let gh = gateWidth
        var biasIH = Tensor(shape: [gh])
        if cell == .lstm { for j in units..<(2 * units) { biasIH.scalars[j] = 1 } }
        parameters = [
            Parameter(name: "weight_ih_l0" + nameSuffix, value: Initializers.glorotUniform(shape: [gh, inputSize], fanIn: inputSize, fanOut: gh, rng: &rng), isPenalized: true),
            Parameter(name: "weight_hh_l0" + nameSuffix, value: Initializers.orthogonal(rows: gh, cols: units, rng: &rng), isPenalized: true),
            Parameter(name: "bias_ih_l0" + nameSuffix, value: biasIH, isPenalized: false),
            Parameter(name: "bias_hh_l0" + nameSuffix, value: Tensor(shape: [gh]), isPenalized: false),
        ]
    }

    /// Runs the sequence `x [B, T, I]` from `initialStates` (zeros when nil).
    /// - Parameter keepCache: keep what `backward` needs (training).
    /// - Parameter lengths: valid steps of each sequence (right padding); the state stops
    ///   changing after a sequence ends and padded outputs are zero, so a padded batch gives
    ///   exactly what each sequence gives alone.
    mutating func run(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]? = nil, keepCache: Bool) -> Output {
        let (output, newCache) = compute(x, initialStates: initialStates, lengths: lengths, keepCache: keepCache)
        cache = newCache
        return output
    }

    /// Inference: the same computation, nothing kept.
    func runWithoutCache(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]? = nil) -> Output {
        compute(x, initialStates: initialStates, lengths: lengths, keepCache: false).output
    }

    private func compute(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]?, keepCache: Bool) -> (output: Output, cache: Cache?) {
        precondition(x.rank == 3, "recurrent layers take [batch, time, features], got \(x.shape)")
        let b = x.shape[0], t = x.shape[1], i = x.shape[2], h = units, gh = gateWidth
        precondition(i == inputSize, "\(cell.typeName) expects \(inputSize) input features, got \(i)")
        let bh = b * h
        if let lengths {
            precondition(lengths.count == b && lengths.allSatisfy { $0 >= 0 && $0 <= t }, "lengths must give 0…\(t) steps for each of \(b) sequences")
        }
        let xT = x.swappingFirstTwoAxes().scalars
        var xp = [Float](repeating: 0, count: t * b * gh)
        var hs = [Float](repeating: 0, count: (t + 1) * bh)
        var cs = [Float](repeating: 0, count: cell == .lstm ? (t + 1) * bh : 0)
        var gates = [Float](repeating: 0, count: t * b * gh)
        var tcs = [Float](repeating: 0, count: cell == .lstm ? t * bh : 0)
        // Only GRU's backward needs every step's recurrent product; the others reuse one row block.
        var hh = [Float](repeating: 0, count: (cell == .gru ? t : 1) * b * gh)
        if let initialStates {
            precondition(initialStates.count == cell.stateCount, "\(cell.typeName) takes \(cell.stateCount) initial state(s)")
            for s in initialStates { precondition(s.shape == [b, h], "initial state must be [\(b), \(h)], got \(s.shape)") }
            hs.replaceSubrange(0..<bh, with: initialStates[0].scalars)
            if cell == .lstm { cs.replaceSubrange(0..<bh, with: initialStates[1].scalars) }
        }
        let wih = parameters[0].value.scalars, whh = parameters[1].value.scalars
        let bih = parameters[2].value.scalars, bhh = parameters[3].value.scalars
        xT.withPointer { xPtr in
            xp.withMutablePointer { xpPtr in
                wih.withPointer { Kernels.gemm(transB: true, m: t * b, n: gh, k: i, a: xPtr, lda: i, b: $0, ldb: i, c: xpPtr, ldc: gh) }
                bih.withPointer { rk_add_bias_rows(xpPtr, Int32(t * b), Int32(gh), Int32(gh), $0) }
            }
        }
        xp.withPointer { xpP in
            whh.withPointer { whhP in
                bhh.withPointer { bhhP in
                    hs.withMutablePointer { hsP in
                        cs.withMutablePointer { csP in
                            gates.withMutablePointer { gP in
                                tcs.withMutablePointer { tcP in
                                    hh.withMutablePointer { hhBase in
                                        for step in 0..<t {
                                            let hhP = cell == .gru ? hhBase + step * b * gh : hhBase
                                            let hPrev = hsP + step * bh, hNext = hsP + (step + 1) * bh
                                            Kernels.gemm(transB: true, m: b, n: gh, k: h, a: hPrev, lda: h, b: whhP, ldb: h, c: hhP, ldc: gh)
                                            rk_add_bias_rows(hhP, Int32(b), Int32(gh), Int32(gh), bhhP)
                                            let xpT = xpP + step * b * gh, gT = gP + step * b * gh
                                            switch cell {
                                            case .simple:
                                                rk_rnn_forward(Int32(b), Int32(h), cell.activationCode, xpT, hhP, hNext)
                                            case .lstm:
                                                rk_lstm_forward(Int32(b), Int32(h), xpT, hhP, csP + step * bh, gT, csP + (step + 1) * bh, tcP + step * bh, hNext)
                                            case .gru:
                                                rk_gru_forward(Int32(b), Int32(h), xpT, hhP, hPrev, gT, hNext)
                                            }
                                            if let lengths {
                                                for bi in 0..<b where step >= lengths[bi] {
                                                    (hNext + bi * h).update(from: hPrev + bi * h, count: h)
                                                    if cell == .lstm { (csP + (step + 1) * bh + bi * h).update(from: csP + step * bh + bi * h, count: h) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var finals = [Tensor(shape: [b, h], scalars: Array(hs[(t * bh)..<((t + 1) * bh)]))]
        if cell == .lstm { finals.append(Tensor(shape: [b, h], scalars: Array(cs[(t * bh)..<((t + 1) * bh)]))) }
        var sequence = Array(hs[bh...])
        if let lengths {
            for step in 0..<t { for bi in 0..<b where step >= lengths[bi] { for j in 0..<h { sequence[step * bh + bi * h + j] = 0 } } }
        }
        let output = Output(hiddenSequence: sequence, finalStates: finals)
        guard keepCache else { return (output, nil) }
        return (output, Cache(batch: b, steps: t, xT: xT, hs: hs, cs: cs, gates: gates, tcs: tcs, hh: hh, lengths: lengths))
    }

    /// BPTT through the last `run(keepCache: true)`.
    /// - Parameters:
    ///   - sequenceGradient: dL/dh_t from above for every step, time-major `[T, B, H]`, or nil.
    ///   - finalStateGradients: dL/dh_T (and dL/dc_T), each `[B, H]`, or nil.
    /// - Returns: dL/dx `[B, T, I]` and dL/d(initial states).
    mutating func backward(sequenceGradient: [Float]?, finalStateGradients: [Tensor]?) -> (input: Tensor, initialStates: [Tensor]) {
        guard let cache else { preconditionFailure("\(cell.typeName).backward called without a training forward pass") }
        let b = cache.batch, t = cache.steps, i = inputSize, h = units, gh = gateWidth, bh = b * h
        let isGRU = cell == .gru, isLSTM = cell == .lstm
        // All scratch memory is allocated once here; the step loop allocates nothing.
        let dh = Scratch(bh), dc = Scratch(bh), dhDirect = Scratch(isGRU ? bh : 0)
        let savedDh = Scratch(cache.lengths == nil ? 0 : bh), savedDc = Scratch(cache.lengths == nil ? 0 : bh)
        let dxp = Scratch(t * b * gh)
        // d(HH): a separate buffer only for GRU; for SimpleRNN and LSTM it equals d(XP).
        let dhhOwned = Scratch(isGRU ? t * b * gh : 0)
        let dhh = isGRU ? dhhOwned.pointer : dxp.pointer
        if let finalStateGradients {
            finalStateGradients[0].scalars.withPointer { dh.pointer.update(from: $0, count: bh) }
            if isLSTM, finalStateGradients.count > 1 { finalStateGradients[1].scalars.withPointer { dc.pointer.update(from: $0, count: bh) } }
        }
        let record = recordsGradientNorms
        var hNorms = [Float](repeating: 0, count: record ? t : 0)
        var cNorms = [Float](repeating: 0, count: record && isLSTM ? t : 0)
        let lengths = cache.lengths
        let whh = parameters[1].value.scalars
        let seqGradient = sequenceGradient ?? []
        let hasSequence = sequenceGradient != nil
        whh.withPointer { wP in
        cache.gates.withPointer { gP in
        cache.hs.withPointer { hsP in
        cache.cs.withPointer { csP in
        cache.tcs.withPointer { tcP in
        cache.hh.withPointer { hhP in
        seqGradient.withUnsafeBufferPointer { seqBuffer in
            for step in stride(from: t - 1, through: 0, by: -1) {
                if hasSequence {
                    let seq = seqBuffer.baseAddress! + step * bh
                    for bi in 0..<b where lengths == nil || step < lengths![bi] {
                        for j in 0..<h { dh.pointer[bi * h + j] += seq[bi * h + j] }
                    }
                }
                if let lengths {
                    // Padding steps: no input gradient, and dh, dc pass through unchanged.
                    for bi in 0..<b where step >= lengths[bi] {
                        (savedDh.pointer + bi * h).update(from: dh.pointer + bi * h, count: h)
                        if isLSTM { (savedDc.pointer + bi * h).update(from: dc.pointer + bi * h, count: h) }
                    }
                }
                if record {
                    hNorms[step] = l2Norm(dh.pointer, bh)
                    if isLSTM {
                        // dL/dc_t = (gradient from c_{t+1}) + dh_t ⊙ o_t ⊙ (1 − tanh²c_t)   (LSTM eq. 6)
                        var sum: Float = 0
                        for bi in 0..<b {
                            for j in 0..<h {
                                let k = bi * h + j
                                let o = gP[step * b * gh + bi * gh + 3 * h + j], tc = tcP[step * bh + k]
                                let v = dc.pointer[k] + dh.pointer[k] * o * (1 - tc * tc)
                                sum += v * v
                            }
                        }
                        cNorms[step] = sum.squareRoot()
                    }
                }
                let gT = gP + step * b * gh, dxpT = dxp.pointer + step * b * gh, dhhT = dhh + step * b * gh
                switch cell {
                case .simple:
                    rk_rnn_backward(Int32(b), Int32(h), cell.activationCode, dh.pointer, hsP + (step + 1) * bh, dxpT)
                case .lstm:
                    rk_lstm_backward(Int32(b), Int32(h), dh.pointer, dc.pointer, gT, csP + step * bh, tcP + step * bh, dxpT)
                case .gru:
                    rk_gru_backward(Int32(b), Int32(h), dh.pointer, gT, hhP + step * b * gh, hsP + step * bh, dxpT, dhhT, dhDirect.pointer)
                }
                if let lengths {
                    for bi in 0..<b where step >= lengths[bi] {
                        (dxpT + bi * gh).update(repeating: 0, count: gh)
                        if isGRU { (dhhT + bi * gh).update(repeating: 0, count: gh) }
                    }
                }
                // dh_{t−1} = d(HH_t)·W_hh (+ z ⊙ dh_t for GRU)
                if isGRU { dh.pointer.update(from: dhDirect.pointer, count: bh) }
                Kernels.gemm(m: b, n: h, k: gh, a: dhhT, lda: gh, b: wP, ldb: h, beta: isGRU ? 1 : 0, c: dh.pointer, ldc: h)
                if let lengths {
                    for bi in 0..<b where step >= lengths[bi] {
                        (dh.pointer + bi * h).update(from: savedDh.pointer + bi * h, count: h)
                        if isLSTM { (dc.pointer + bi * h).update(from: savedDc.pointer + bi * h, count: h) }
                    }
                }
                if let k = bpttSteps, k > 0, step % k == 0, step > 0 {
                    // Truncated BPTT: h_{t−1} (and c_{t−1}) start a new chunk and count as constants.
                    dh.pointer.update(repeating: 0, count: bh)
                    dc.pointer.update(repeating: 0, count: bh)
                }
            }
        } } } } } } }
        // Weight gradients: one product each over all T·B rows.
        var dx = [Float](repeating: 0, count: t * b * i)
        cache.hs.withPointer { hsP in
            parameters[1].gradient.scalars.withMutablePointer {
                Kernels.gemm(transA: true, m: gh, n: h, k: t * b, a: dhh, lda: gh, b: hsP, ldb: h, beta: 1, c: $0, ldc: h)
            }
        }
        parameters[3].gradient.scalars.withMutablePointer { rk_accumulate_column_sums(dhh, Int32(t * b), Int32(gh), Int32(gh), $0) }
        cache.xT.withPointer { xP in
            parameters[0].gradient.scalars.withMutablePointer {
                Kernels.gemm(transA: true, m: gh, n: i, k: t * b, a: dxp.pointer, lda: gh, b: xP, ldb: i, beta: 1, c: $0, ldc: i)
            }
        }
        parameters[2].gradient.scalars.withMutablePointer { rk_accumulate_column_sums(dxp.pointer, Int32(t * b), Int32(gh), Int32(gh), $0) }
        parameters[0].value.scalars.withPointer { wP in
            dx.withMutablePointer { Kernels.gemm(m: t * b, n: i, k: gh, a: dxp.pointer, lda: gh, b: wP, ldb: i, c: $0, ldc: i) }
        }
        if record {
            hiddenGradientNorms = hNorms
            cellGradientNorms = cNorms
        }
        var initial = [Tensor(shape: [b, h], scalars: dh.array)]
        if isLSTM { initial.append(Tensor(shape: [b, h], scalars: dc.array)) }
        withExtendedLifetime((dhDirect, savedDh, savedDc, dxp, dhhOwned)) {}
        return (Tensor(shape: [t, b, i], scalars: dx).swappingFirstTwoAxes(), initial)
    }

    /// Drops the training caches (e.g. before saving or to free memory).
    mutating func clearCache() { cache = nil }
}

@inline(__always) func l2Norm(_ v: UnsafePointer<Float>, _ n: Int) -> Float {
    var s: Float = 0
    for k in 0..<n { s += v[k] * v[k] }
    return s.squareRoot()
}

/// A zero-filled scratch buffer owned for one pass and freed when released.
final class Scratch {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
    deinit { pointer.deallocate() }
}
