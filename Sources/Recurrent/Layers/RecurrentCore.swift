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
        var xp: [Float] = [] // [T, B, G·H] input projection (kept only to reuse the memory)
        var dxp: [Float] = []  // backward scratch, reused between batches
        var dhh: [Float] = []
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
        // The previous pass's buffers are reused when the shapes match (no page faults per batch).
        var recycled = cache
        cache = nil
        let (output, newCache) = compute(x, initialStates: initialStates, lengths: lengths, keepCache: keepCache, recycled: &recycled)
        cache = newCache
        return output
    }

    /// Inference: the same computation, nothing kept.
    /// - Parameter needsSequence: false when only the final states are used: the states then
    ///   live in a small ring of one time chunk instead of `[T+1, B, H]`, and `hiddenSequence`
    ///   comes back empty.
    func runWithoutCache(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]? = nil, needsSequence: Bool = true) -> Output {
        var none: Cache?
        return compute(x, initialStates: initialStates, lengths: lengths, keepCache: false, needsSequence: needsSequence,
                       recycled: &none).output
    }

    /// `buffer` resized to `count` floats: kept (contents stale) when it already has that size.
    @inline(__always)
    static func sized(_ buffer: inout [Float], _ count: Int) {
        if buffer.count != count { buffer = [Float](repeating: 0, count: count) }
    }

    private func compute(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]?, keepCache: Bool, needsSequence: Bool = true,
                         recycled: inout Cache?) -> (output: Output, cache: Cache?) {
        precondition(x.rank == 3, "recurrent layers take [batch, time, features], got \(x.shape)")
        let b = x.shape[0], t = x.shape[1], i = x.shape[2], h = units, gh = gateWidth
        precondition(i == inputSize, "\(cell.typeName) expects \(inputSize) input features, got \(i)")
        let bh = b * h
        if let lengths {
            precondition(lengths.count == b && lengths.allSatisfy { $0 >= 0 && $0 <= t }, "lengths must give 0…\(t) steps for each of \(b) sequences")
        }
        let isLSTM = cell == .lstm, isGRU = cell == .gru
        var c = recycled ?? Cache(batch: b, steps: t, xT: [], hs: [], cs: [], gates: [], tcs: [], hh: [], lengths: nil)
        recycled = nil
        c.batch = b; c.steps = t; c.lengths = lengths
        c.xT = x.swappingFirstTwoAxes().scalars
        // The input projection runs in chunks of time steps so its buffer stays small (about
        // 1 MiB) whatever T and B; training keeps every step's gates, inference one block.
        let chunk = max(1, min(t, (1 << 18) / max(1, b * gh)))
        let keepSteps = keepCache
        // Inference that needs only the final states keeps one chunk of states (plus the
        // state it starts from), moving the last to the front after each chunk.
        let ring = !keepCache && !needsSequence
        let stateSteps = ring ? chunk : t
        Self.sized(&c.xp, chunk * b * gh)
        Self.sized(&c.hs, (stateSteps + 1) * bh)
        Self.sized(&c.cs, isLSTM ? (stateSteps + 1) * bh : 0)
        Self.sized(&c.gates, (keepSteps ? t : 1) * b * gh)
        Self.sized(&c.tcs, isLSTM ? (keepSteps ? t : 1) * bh : 0)
        // Only GRU's backward needs every step's recurrent product; the others reuse one block.
        Self.sized(&c.hh, (isGRU && keepSteps ? t : 1) * b * gh)
        if let initialStates {
            precondition(initialStates.count == cell.stateCount, "\(cell.typeName) takes \(cell.stateCount) initial state(s)")
            for s in initialStates { precondition(s.shape == [b, h], "initial state must be [\(b), \(h)], got \(s.shape)") }
            c.hs.replaceSubrange(0..<bh, with: initialStates[0].scalars)
            if isLSTM { c.cs.replaceSubrange(0..<bh, with: initialStates[1].scalars) }
        } else {
            c.hs.withMutablePointer { $0.update(repeating: 0, count: bh) }
            if isLSTM { c.cs.withMutablePointer { $0.update(repeating: 0, count: bh) } }
        }
        let wih = parameters[0].value.scalars, whh = parameters[1].value.scalars
        let bih = parameters[2].value.scalars, bhh = parameters[3].value.scalars
        // SimpleRNN and LSTM add b_hh with b_ih once, to the input projection; GRU needs
        // W_hn·h + b_hn on its own (the reset gate multiplies it), so it adds b_hh per step.
        var inputBias = bih
        if !isGRU { for j in 0..<gh { inputBias[j] += bhh[j] } }
        let lengths32 = lengths.map { $0.map(Int32.init) } ?? []
        let flags = Int32((isGRU && keepSteps ? RK_LOOP_HH_PER_STEP : 0) | (keepSteps ? RK_LOOP_KEEP_STEPS : 0))
        let cellCode = cell.loopCode, activation = cell.activationCode
        c.xT.withPointer { xP in
        c.xp.withMutablePointer { xpP in
        wih.withPointer { wihP in
        inputBias.withPointer { biasP in
        whh.withPointer { whhP in
        bhh.withPointer { bhhP in
        c.hs.withMutablePointer { hsP in
        c.cs.withMutablePointer { csP in
        c.gates.withMutablePointer { gP in
        c.tcs.withMutablePointer { tcP in
        c.hh.withMutablePointer { hhP in
        lengths32.withUnsafeBufferPointer { lenBuffer in
            for t0 in stride(from: 0, to: t, by: chunk) {
                let steps = min(chunk, t - t0), rows = steps * b, s0 = ring ? 0 : t0
                Kernels.gemm(transB: true, m: rows, n: gh, k: i, a: xP + t0 * b * i, lda: i, b: wihP, ldb: i, c: xpP, ldc: gh)
                rk_add_bias_rows(xpP, Int32(rows), Int32(gh), Int32(gh), biasP)
                rk_recurrent_forward(cellCode, activation, Int32(b), Int32(steps), Int32(h), xpP, whhP, isGRU ? bhhP : nil,
                                     hsP + s0 * bh, isLSTM ? csP + s0 * bh : nil,
                                     keepSteps ? gP + t0 * b * gh : gP, isLSTM ? (keepSteps ? tcP + t0 * bh : tcP) : nil,
                                     isGRU && keepSteps ? hhP + t0 * b * gh : hhP, flags, Int32(t0),
                                     lengths == nil ? nil : lenBuffer.baseAddress)
                if ring {
                    hsP.update(from: hsP + steps * bh, count: bh)
                    if isLSTM { csP.update(from: csP + steps * bh, count: bh) }
                }
            }
        } } } } } } } } } } } }
        let last = ring ? 0 : t
        var finals = [Tensor(shape: [b, h], scalars: Array(c.hs[(last * bh)..<((last + 1) * bh)]))]
        if isLSTM { finals.append(Tensor(shape: [b, h], scalars: Array(c.cs[(last * bh)..<((last + 1) * bh)]))) }
        var sequence = ring ? [] : Array(c.hs[bh...])
        if let lengths, !ring {
            for step in 0..<t { for bi in 0..<b where step >= lengths[bi] { for j in 0..<h { sequence[step * bh + bi * h + j] = 0 } } }
        }
        let output = Output(hiddenSequence: sequence, finalStates: finals)
        guard keepCache else { return (output, nil) }
        return (output, c)
    }

    /// BPTT through the last `run(keepCache: true)`.
    /// - Parameters:
    ///   - sequenceGradient: dL/dh_t from above for every step, time-major `[T, B, H]`, or nil.
    ///   - finalStateGradients: dL/dh_T (and dL/dc_T), each `[B, H]`, or nil.
    /// - Returns: dL/dx `[B, T, I]` and dL/d(initial states).
    mutating func backward(sequenceGradient: [Float]?, finalStateGradients: [Tensor]?) -> (input: Tensor, initialStates: [Tensor]) {
        guard var cache else { preconditionFailure("\(cell.typeName).backward called without a training forward pass") }
        // The scratch for d(XP) and d(HH) lives in the cache and is reused between batches.
        self.cache = nil
        defer { self.cache = cache }
        let b = cache.batch, t = cache.steps, h = units, gh = gateWidth, bh = b * h
        let isGRU = cell == .gru, isLSTM = cell == .lstm
        // All scratch memory is allocated once here; the step loop allocates nothing.
        let dh = Scratch(bh), dc = Scratch(bh), dhDirect = Scratch(isGRU ? bh : 0)
        let savedDh = Scratch(cache.lengths == nil ? 0 : bh), savedDc = Scratch(cache.lengths == nil ? 0 : bh)
        if let finalStateGradients {
            finalStateGradients[0].scalars.withPointer { dh.pointer.update(from: $0, count: bh) }
            if isLSTM, finalStateGradients.count > 1 { finalStateGradients[1].scalars.withPointer { dc.pointer.update(from: $0, count: bh) } }
        }
        var dxpBuffer = cache.dxp, dhhBuffer = cache.dhh
        cache.dxp = []; cache.dhh = []
        Self.sized(&dxpBuffer, t * b * gh)
        // d(HH): a separate buffer only for GRU; for SimpleRNN and LSTM it equals d(XP).
        Self.sized(&dhhBuffer, isGRU ? t * b * gh : 0)
        let result = dxpBuffer.withMutablePointer { dxpP in
            dhhBuffer.withMutablePointer { dhhP in
                backward(cache: cache, dxp: dxpP, dhh: isGRU ? dhhP : dxpP, dh: dh, dc: dc, dhDirect: dhDirect, savedDh: savedDh, savedDc: savedDc,
                         sequenceGradient: sequenceGradient)
            }
        }
        cache.dxp = dxpBuffer; cache.dhh = dhhBuffer
        return result
    }

    private mutating func backward(cache: Cache, dxp: UnsafeMutablePointer<Float>, dhh: UnsafeMutablePointer<Float>, dh: Scratch, dc: Scratch,
                                   dhDirect: Scratch, savedDh: Scratch, savedDc: Scratch, sequenceGradient: [Float]?) -> (input: Tensor, initialStates: [Tensor]) {
        let b = cache.batch, t = cache.steps, i = inputSize, h = units, gh = gateWidth, bh = b * h
        let isGRU = cell == .gru, isLSTM = cell == .lstm
        let record = recordsGradientNorms
        var hNorms = [Float](repeating: 0, count: record ? t : 0)
        var cNorms = [Float](repeating: 0, count: record && isLSTM ? t : 0)
        let lengths = cache.lengths
        let whh = parameters[1].value.scalars
        if !record {
            // The fused C loop (threads over the batch); the Swift loop below also records norms.
            let lengths32 = lengths.map { $0.map(Int32.init) }
            let cellCode = cell.loopCode, activation = cell.activationCode, bptt = Int32(bpttSteps ?? 0)
            whh.withPointer { wP in
            cache.gates.withPointer { gP in
            cache.hs.withPointer { hsP in
            cache.cs.withPointer { csP in
            cache.tcs.withPointer { tcP in
            cache.hh.withPointer { hhP in
                let run = { (seqP: UnsafePointer<Float>?, lenP: UnsafePointer<Int32>?) in
                    rk_recurrent_backward(cellCode, activation, Int32(b), Int32(t), Int32(h), wP, gP, hsP,
                                          isLSTM ? csP : nil, isLSTM ? tcP : nil, isGRU ? hhP : nil, seqP, lenP, bptt,
                                          dh.pointer, isLSTM ? dc.pointer : nil, dxp, isGRU ? dhh : nil,
                                          isGRU ? dhDirect.pointer : nil, lengths == nil ? nil : savedDh.pointer, lengths == nil ? nil : savedDc.pointer)
                }
                let withLengths = { (seqP: UnsafePointer<Float>?) in
                    if let lengths32 { lengths32.withUnsafeBufferPointer { run(seqP, $0.baseAddress) } } else { run(seqP, nil) }
                }
                if let sequenceGradient { sequenceGradient.withPointer { withLengths($0) } } else { withLengths(nil) }
            } } } } } }
        } else {
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
                            var sum: Double = 0
                            for bi in 0..<b {
                                for j in 0..<h {
                                    let k = bi * h + j
                                    let o = gP[step * b * gh + bi * gh + 3 * h + j], tc = tcP[step * bh + k]
                                    let v = Double(dc.pointer[k] + dh.pointer[k] * o * (1 - tc * tc))
                                    sum += v * v
                                }
                            }
                            cNorms[step] = Float(sum.squareRoot())
                        }
                    }
                    let gT = gP + step * b * gh, dxpT = dxp + step * b * gh, dhhT = dhh + step * b * gh
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
        }
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
                Kernels.gemm(transA: true, m: gh, n: i, k: t * b, a: dxp, lda: gh, b: xP, ldb: i, beta: 1, c: $0, ldc: i)
            }
        }
        parameters[2].gradient.scalars.withMutablePointer { rk_accumulate_column_sums(dxp, Int32(t * b), Int32(gh), Int32(gh), $0) }
        parameters[0].value.scalars.withPointer { wP in
            dx.withMutablePointer { Kernels.gemm(m: t * b, n: i, k: gh, a: dxp, lda: gh, b: wP, ldb: i, c: $0, ldc: i) }
        }
        if record {
            hiddenGradientNorms = hNorms
            cellGradientNorms = cNorms
        }
        var initial = [Tensor(shape: [b, h], scalars: dh.array)]
        if isLSTM { initial.append(Tensor(shape: [b, h], scalars: dc.array)) }
        withExtendedLifetime((dhDirect, savedDh, savedDc)) {}
        return (Tensor(shape: [t, b, i], scalars: dx).swappingFirstTwoAxes(), initial)
    }

    /// Drops the training caches (e.g. before saving or to free memory).
    mutating func clearCache() { cache = nil }
}

/// The Euclidean norm, summed in Double: squares of gradients below ~1e-19 underflow to 0 in
/// Float although the norm itself (at least the largest entry) is representable.
@inline(__always) func l2Norm(_ v: UnsafePointer<Float>, _ n: Int) -> Float {
    var s: Double = 0
    for k in 0..<n { s += Double(v[k]) * Double(v[k]) }
    return Float(s.squareRoot())
}

extension RecurrentCell {
    /// The cell's code for the C time loops (`rk_cell`).
    var loopCode: Int32 {
        switch self {
        case .simple: return Int32(RK_CELL_RNN.rawValue)
        case .lstm: return Int32(RK_CELL_LSTM.rawValue)
        case .gru: return Int32(RK_CELL_GRU.rawValue)
        }
    }
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
