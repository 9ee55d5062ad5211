import CKernels

/// The time loop shared by SimpleRNN, LSTM and GRU, for one direction.
///
/// Forward (the input projection hoisted out of the step loop, as STYLE.md asks):
///   XP = X·W_ihᵀ + b_ih, one product per block of time steps (a block's XP is about 1 MiB),
///   then the C loop (`rk_recurrent_forward`): per step HH_t = h_{t−1}·W_hhᵀ + b_hh and the
///   fused cell kernel. SimpleRNN and LSTM add b_hh to b_ih once instead of per step.
/// Backward (BPTT, the C loop `rk_recurrent_backward`): per step the cell kernel gives
///   d(XP_t), d(HH_t) and dh_{t−1} = d(HH_t)·W_hh; after the loop the weight gradients are each
///   one product over all steps: dW_hh += d(HH)ᵀ·H_{0..T−1}, dW_ih += d(XP)ᵀ·X.
/// The equations of each cell are stated once, in CKernels.h. Everything a pass keeps lives in
/// one arena (`rk_layer_arena`), time-major `[T, B, ·]` so each step's rows are contiguous.
struct RecurrentCore: Sendable {
    public let cell: RecurrentCell
    public let units: Int
    /// `""` or `"_reverse"`: appended to PyTorch's parameter names.
    public let nameSuffix: String
    /// Truncated BPTT: gradients do not flow across chunk boundaries every `k` steps.
    public var bpttSteps: Int?
    /// When true, `backward` records ‖dL/dh_t‖ (and ‖dL/dc_t‖) for every step.
    var recordsGradientNorms = false
    /// ‖dL/dh_t‖ for t = 0..<T from the last backward pass (when recorded).
    private(set) var hiddenGradientNorms: [Float] = []
    /// ‖dL/dc_t‖ for t = 0..<T from the last backward pass (LSTM, when recorded).
    private(set) var cellGradientNorms: [Float] = []
    public var parameters: [Parameter] = []
    /// Stateful layers start each batch from the previous batch's final states (gradients
    /// do not cross batch boundaries: the carried state is a constant).
    public var isStateful = false
    /// The state carried to the next batch by a stateful layer; nil after `resetStates`.
    public var carriedState: [Tensor]?
    /// F, the input features, read off `weight_ih [G·H, F]` (0 before build).
    var inputSize: Int { parameters.first?.value.shape[1] ?? 0 }
    private var cache: Cache?

    /// What a training pass keeps for its BPTT: one arena (its layout: `rk_layer_arena` in
    /// CKernels.h), reused by the next pass of the same shape.
    struct Cache {
        var shape: rk_layer_shape
        var arena: [Float]
        var lengths: [Int32]  // valid steps per sequence ([B]); empty when there are none
    }

    /// The result of running the layer over a sequence.
    public struct Output {
        /// h_t for every step, laid out as the pass's `Layout.sequence` asked (zero at padded
        /// steps); empty for `.none`.
        public var hiddenSequence: [Float]
        /// Final states: `[h_T]`, or `[h_T, c_T]` for LSTM, each `[B, H]`.
        public var finalStates: [Tensor]
    }

    /// How a pass reads its input and hands back the hidden sequence. Layers talk in
    /// batch-major `[B, T, ·]` tensors; between two stacked recurrent layers at inference the
    /// sequence can stay time-major, as the arena holds it, and skip two transposing copies.
    struct Layout {
        /// `x.scalars` are time-major `[T, B, I]` (x.shape still reads `[B, T, I]`).
        var inputTimeMajor = false
        var sequence = SequenceLayout.batchMajor
    }

    enum SequenceLayout { case none, batchMajor, timeMajor }

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

    /// Training pass: runs the sequence `x [B, T, I]` from `initialStates` (zeros when nil) and
    /// keeps what `backward` needs (inference is `runWithoutCache`).
    /// - Parameter lengths: valid steps of each sequence (right padding); the state stops
    ///   changing after a sequence ends and padded outputs are zero, so a padded batch gives
    ///   exactly what each sequence gives alone.
    /// - Parameter needsSequence: false when only the final states are used (`hiddenSequence`
    ///   then comes back empty).
    mutating func run(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]? = nil, needsSequence: Bool = true) -> Output {
        // The previous pass's arena is reused when the shape matches (no page faults per batch).
        var recycled = cache
        cache = nil
        let (output, newCache) = compute(x, initialStates: initialStates, lengths: lengths, keep: RK_KEEP_TRAINING,
                                         layout: Layout(sequence: needsSequence ? .batchMajor : .none), recycled: &recycled)
        cache = newCache
        return output
    }

    /// Inference: the same computation, nothing kept.
    /// - Parameter needsSequence: false when only the final states are used: the states then
    ///   live in a small ring of one time chunk instead of `[T+1, B, H]`, and `hiddenSequence`
    ///   comes back empty.
    func runWithoutCache(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]? = nil, needsSequence: Bool = true) -> Output {
        runWithoutCache(x, initialStates: initialStates, lengths: lengths, layout: Layout(sequence: needsSequence ? .batchMajor : .none))
    }

    /// Inference with the input and sequence laid out as `layout` says.
    func runWithoutCache(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]? = nil, layout: Layout) -> Output {
        var none: Cache?
        return compute(x, initialStates: initialStates, lengths: lengths, keep: layout.sequence == .none ? RK_KEEP_FINAL : RK_KEEP_SEQUENCE,
                       layout: layout, recycled: &none).output
    }

    /// Whether a training pass's caches are held (they are dropped by `clearCache`).
    var holdsCache: Bool { cache != nil }

    /// `buffer` resized to `count` floats: kept (contents stale) when it already has that size,
    /// else newly allocated and not initialised (every pass writes each arena buffer before it
    /// reads it; zero-filling a fresh inference arena cost 5 % of the lab model's inference).
    @inline(__always)
    static func sized(_ buffer: inout [Float], _ count: Int) {
        if buffer.count != count { buffer = [Float](unsafeUninitializedCapacity: count) { _, n in n = count } }
    }

    private func compute(_ x: Tensor, initialStates: [Tensor]?, lengths: [Int]?, keep: rk_keep, layout: Layout,
                         recycled: inout Cache?) -> (output: Output, cache: Cache?) {
        precondition(x.rank == 3, "recurrent layers take [batch, time, features], got \(x.shape)")
        let b = x.shape[0], t = x.shape[1], i = x.shape[2], h = units
        precondition(i == inputSize, "\(cell.typeName) expects \(inputSize) input features, got \(i)")
        if let lengths {
            precondition(lengths.count == b && lengths.allSatisfy { $0 >= 0 && $0 <= t }, "lengths must give 0…\(t) steps for each of \(b) sequences")
        }
        if let initialStates {
            precondition(initialStates.count == cell.stateCount, "\(cell.typeName) takes \(cell.stateCount) initial state(s)")
            for s in initialStates { precondition(s.shape == [b, h], "initial state must be [\(b), \(h)], got \(s.shape)") }
        }
        let shape = rk_layer_shape_make(cell.loopCode, cell.activationCode, Int32(b), Int32(t), Int32(i), Int32(h), Int32(keep.rawValue))
        let lengths32 = lengths?.map(Int32.init) ?? []
        // SimpleRNN and LSTM add b_hh with b_ih once, to the input projection; GRU needs
        // W_hn·h + b_hn on its own (the reset gate multiplies it), so it adds b_hh per step.
        let bhh = parameters[3].value.scalars
        var inputBias = parameters[2].value.scalars
        if cell != .gru { for j in inputBias.indices { inputBias[j] += bhh[j] } }
        let pass = { (arena: UnsafeMutablePointer<Float>) in
            forwardPass(arena: arena, shape: shape, x: x.scalars, initialStates: initialStates,
                        wih: parameters[0].value.scalars, inputBias: inputBias, whh: parameters[1].value.scalars, bhh: bhh,
                        lengths: lengths32, hasLengths: lengths != nil, layout: layout)
        }
        let floats = max(1, Self.arenaFloats(shape))
        if keep != RK_KEEP_TRAINING, let scratch = rk_inference_scratch(floats) { return (pass(scratch), nil) }
        var c = recycled ?? Cache(shape: shape, arena: [], lengths: [])
        recycled = nil
        c.shape = shape
        c.lengths = lengths32
        Self.sized(&c.arena, floats)
        let output = c.arena.withUnsafeMutableBufferPointer { pass($0.baseAddress!) }
        return (output, keep == RK_KEEP_TRAINING ? c : nil)
    }

    static func arenaFloats(_ shape: rk_layer_shape) -> Int {
        var shape = shape
        return rk_layer_arena_floats(&shape)
    }

    static func pointers(_ shape: rk_layer_shape, _ base: UnsafeMutablePointer<Float>) -> rk_layer_arena {
        var shape = shape, arena = rk_layer_arena()
        rk_layer_arena_point(&shape, base, &arena)
        return arena
    }

    /// The forward pass over one arena; the pointers are valid for this call only.
    private func forwardPass(arena base: UnsafeMutablePointer<Float>, shape: rk_layer_shape, x: UnsafePointer<Float>,
                             initialStates: [Tensor]?, wih: UnsafePointer<Float>, inputBias: UnsafePointer<Float>,
                             whh: UnsafePointer<Float>, bhh: UnsafePointer<Float>,
                             lengths: UnsafePointer<Int32>, hasLengths: Bool, layout: Layout) -> Output {
        let a = Self.pointers(shape, base)
        let b = Int(shape.B), t = Int(shape.T), i = Int(shape.I), h = units, gh = gateWidth, bh = b * h
        let isLSTM = cell == .lstm, isGRU = cell == .gru
        let training = shape.keep == Int32(RK_KEEP_TRAINING.rawValue), ring = shape.keep == Int32(RK_KEEP_FINAL.rawValue)
        let chunk = Int(shape.chunk)
        // The input projection reads x time-major: a time-major input where it is (only
        // inference passes one), else x [B, T, I] transposed into the arena.
        var xTimeMajor = UnsafePointer(a.x)
        if layout.inputTimeMajor {
            xTimeMajor = x
        } else if let xT = a.x {
            for step in 0..<t { for row in 0..<b { (xT + (step * b + row) * i).update(from: x + (row * t + step) * i, count: i) } }
        }
        if let hs = a.hs {
            if let initialStates { hs.update(from: initialStates[0].scalars, count: bh) } else { hs.update(repeating: 0, count: bh) }
        }
        if let cs = a.cs {
            if let initialStates { cs.update(from: initialStates[1].scalars, count: bh) } else { cs.update(repeating: 0, count: bh) }
        }
        var loop = rk_loop_args()
        loop.cell = cell.loopCode
        loop.activation = cell.activationCode
        loop.B = Int32(b)
        loop.H = Int32(h)
        loop.whh = whh
        loop.bhh = isGRU ? bhh : nil
        loop.lengths = hasLengths ? lengths : nil
        loop.flags = Int32((isGRU && training ? RK_LOOP_HH_PER_STEP : 0) | (training ? RK_LOOP_KEEP_STEPS : 0))
        for t0 in stride(from: 0, to: t, by: chunk) {
            let steps = min(chunk, t - t0), rows = steps * b, s0 = ring ? 0 : t0
            rk_sgemm(0, 1, Int32(rows), Int32(gh), Int32(i), 1, xTimeMajor.map { $0 + t0 * b * i }, Int32(i), wih, Int32(i), 0, a.xp, Int32(gh))
            rk_add_bias_rows(a.xp, Int32(rows), Int32(gh), Int32(gh), inputBias)
            loop.T = Int32(steps)
            loop.t0 = Int32(t0)
            loop.xp = UnsafePointer(a.xp)
            loop.hs = a.hs.map { $0 + s0 * bh }
            loop.cs = a.cs.map { $0 + s0 * bh }
            loop.gates = training ? a.gates.map { $0 + t0 * b * gh } : a.gates
            loop.tcs = training ? a.tcs.map { $0 + t0 * bh } : a.tcs
            loop.hh = isGRU && training ? a.hh.map { $0 + t0 * b * gh } : a.hh
            rk_recurrent_forward(&loop)
            if ring, let hs = a.hs {
                // The chunk's last state moves to the front for the next chunk.
                hs.update(from: hs + steps * bh, count: bh)
                if let cs = a.cs { cs.update(from: cs + steps * bh, count: bh) }
            }
        }
        let last = ring ? 0 : t
        var finals = [Tensor(shape: [b, h], scalars: Self.floats(a.hs, from: last * bh, count: bh))]
        if isLSTM { finals.append(Tensor(shape: [b, h], scalars: Self.floats(a.cs, from: last * bh, count: bh))) }
        var sequence: [Float] = []
        if !ring, let hs = a.hs {
            switch layout.sequence {
            case .none: break
            case .timeMajor: sequence = Self.floats(hs, from: bh, count: t * bh)
            case .batchMajor: sequence = Self.batchMajorSequence(hs, batch: b, steps: t, units: h, lengths: hasLengths ? lengths : nil)
            }
        }
        return Output(hiddenSequence: sequence, finalStates: finals)
    }

    /// h_1…h_T of the arena's time-major states `[T+1, B, H]` as `[B, T, H]`, in one pass,
    /// with the padded steps (step ≥ lengths[b]) zero.
    static func batchMajorSequence(_ hs: UnsafeMutablePointer<Float>, batch b: Int, steps t: Int, units h: Int,
                                   lengths: UnsafePointer<Int32>?) -> [Float] {
        [Float](unsafeUninitializedCapacity: b * t * h) { out, n in
            let dst = out.baseAddress!
            for row in 0..<b {
                let valid = lengths.map { Int($0[row]) } ?? t
                for step in 0..<t {
                    let d = dst + (row * t + step) * h
                    if step < valid { d.update(from: hs + ((step + 1) * b + row) * h, count: h) } else { d.initialize(repeating: 0, count: h) }
                }
            }
            n = b * t * h
        }
    }

    /// `count` floats of an arena buffer from `offset` (nil when the buffer is empty).
    static func floats(_ buffer: UnsafeMutablePointer<Float>?, from offset: Int, count: Int) -> [Float] {
        guard let buffer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: buffer + offset, count: count))
    }

    /// BPTT through the last `run`.
    /// - Parameters:
    ///   - sequenceGradient: dL/dh_t from above for every step, time-major `[T, B, H]`, or nil.
    ///   - finalStateGradients: dL/dh_T (and dL/dc_T), each `[B, H]`, or nil.
    /// - Returns: dL/dx `[B, T, I]` and dL/d(initial states).
    mutating func backward(sequenceGradient: [Float]?, finalStateGradients: [Tensor]?) -> (input: Tensor, initialStates: [Tensor]) {
        guard var cache else { preconditionFailure("\(cell.typeName).backward called without a training forward pass") }
        // The arena (with the backward scratch) is kept for the next batch.
        self.cache = nil
        defer { self.cache = cache }
        let whh = parameters[1].value.scalars, wih = parameters[0].value.scalars
        if let sequenceGradient {
            return backwardPass(arena: &cache.arena, shape: cache.shape, sequenceGradient: sequenceGradient, finalStateGradients: finalStateGradients,
                                wih: wih, whh: whh, lengths: cache.lengths, hasLengths: !cache.lengths.isEmpty)
        }
        return backwardPass(arena: &cache.arena, shape: cache.shape, sequenceGradient: nil, finalStateGradients: finalStateGradients,
                            wih: wih, whh: whh, lengths: cache.lengths, hasLengths: !cache.lengths.isEmpty)
    }

    /// BPTT over one arena; the pointers are valid for this call only.
    private mutating func backwardPass(arena base: UnsafeMutablePointer<Float>, shape: rk_layer_shape, sequenceGradient: UnsafePointer<Float>?,
                                       finalStateGradients: [Tensor]?, wih: UnsafePointer<Float>, whh: UnsafePointer<Float>,
                                       lengths: UnsafePointer<Int32>, hasLengths: Bool) -> (input: Tensor, initialStates: [Tensor]) {
        let a = Self.pointers(shape, base)
        let b = Int(shape.B), t = Int(shape.T), i = Int(shape.I), h = units, gh = gateWidth, bh = b * h
        let isGRU = cell == .gru, isLSTM = cell == .lstm
        // dL/dh_T and dL/dc_T: what comes from after the sequence, zero when nothing does.
        a.dh?.update(repeating: 0, count: bh)
        a.dc?.update(repeating: 0, count: bh)
        if let finalStateGradients {
            a.dh?.update(from: finalStateGradients[0].scalars, count: bh)
            if isLSTM, finalStateGradients.count > 1 { a.dc?.update(from: finalStateGradients[1].scalars, count: bh) }
        }
        var loop = rk_loop_args()
        loop.cell = cell.loopCode
        loop.activation = cell.activationCode
        loop.B = Int32(b)
        loop.T = Int32(t)
        loop.H = Int32(h)
        loop.whh = whh
        loop.hs = a.hs
        loop.cs = a.cs
        loop.gates = a.gates
        loop.tcs = a.tcs
        loop.hh = a.hh
        loop.lengths = hasLengths ? lengths : nil
        loop.seq_grad = sequenceGradient
        loop.bptt_steps = Int32(bpttSteps ?? 0)
        loop.dh = a.dh
        loop.dc = a.dc
        loop.dxp = a.dxp
        loop.dhh = a.dhh
        loop.dh_direct = a.dh_direct
        loop.saved_dh = a.saved_dh
        loop.saved_dc = a.saved_dc
        loop.h_norms = recordsGradientNorms ? a.h_norms : nil
        loop.c_norms = recordsGradientNorms ? a.c_norms : nil
        rk_recurrent_backward(&loop)
        if recordsGradientNorms {
            hiddenGradientNorms = Self.floats(a.h_norms, from: 0, count: t)
            cellGradientNorms = Self.floats(a.c_norms, from: 0, count: isLSTM ? t : 0)
        }
        // Weight gradients: one product each over all T·B rows. d(HH) is d(XP) except for GRU.
        let dxp = UnsafePointer(a.dxp), dhh = isGRU ? UnsafePointer(a.dhh) : dxp, rows = Int32(t * b)
        rk_sgemm(1, 0, Int32(gh), Int32(h), rows, 1, dhh, Int32(gh), a.hs, Int32(h), 1, &parameters[1].gradient.scalars, Int32(h))
        rk_accumulate_column_sums(dhh, rows, Int32(gh), Int32(gh), &parameters[3].gradient.scalars)
        rk_sgemm(1, 0, Int32(gh), Int32(i), rows, 1, dxp, Int32(gh), a.x, Int32(i), 1, &parameters[0].gradient.scalars, Int32(i))
        rk_accumulate_column_sums(dxp, rows, Int32(gh), Int32(gh), &parameters[2].gradient.scalars)
        var dx = [Float](repeating: 0, count: t * b * i)
        rk_sgemm(0, 0, rows, Int32(i), Int32(gh), 1, dxp, Int32(gh), wih, Int32(i), 0, &dx, Int32(i))
        var initial = [Tensor(shape: [b, h], scalars: Self.floats(a.dh, from: 0, count: bh))]
        if isLSTM { initial.append(Tensor(shape: [b, h], scalars: Self.floats(a.dc, from: 0, count: bh))) }
        return (Tensor(shape: [t, b, i], scalars: dx).swappingFirstTwoAxes(), initial)
    }

    /// Drops the training caches (e.g. before saving or to free memory).
    mutating func clearCache() { cache = nil }
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
