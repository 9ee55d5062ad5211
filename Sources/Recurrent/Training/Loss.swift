import RealModule

/// A training objective with Keras's definitions and reduction.
///
/// Predictions and targets have the same shape (`[B, units]` or `[B, T, units]`). A *row* is
/// one vector along the last axis. Per-row losses are:
/// - `meanSquaredError`, `meanAbsoluteError`, `huber`, `binaryCrossEntropy`: the mean over
///   the row's elements;
/// - `categoricalCrossEntropy`: `−Σ y log p` over the row.
///
/// The reported loss is the mean of the row losses, which for the element-wise losses equals
/// the mean over every element (Keras's `sum_over_batch_size`). With `weights`, it is the
/// weighted mean `Σ wᵣ lᵣ / Σ wᵣ`, so a 0/1 mask averages over the unmasked rows only.
public enum Loss: Sendable, Equatable, CustomStringConvertible {
    /// `(p − y)²`.
    case meanSquaredError
    /// `|p − y|`.
    case meanAbsoluteError
    /// `½x²` for `|x| ≤ delta`, else `delta·(|x| − ½·delta)`, with `x = p − y`.
    case huber(delta: Float = 1)
    /// `−[y log p + (1 − y) log(1 − p)]` on probabilities clamped to `[ε, 1 − ε]` (ε = 1e-7),
    /// or on logits with a fused, numerically stable sigmoid.
    case binaryCrossEntropy(fromLogits: Bool = false)
    /// `−Σ y log p` with targets one-hot or probabilities over the last axis. On probabilities
    /// the row is renormalised to sum to one and clamped to `[ε, 1 − ε]` (as Keras does); on
    /// logits a softmax is fused in.
    case categoricalCrossEntropy(fromLogits: Bool = false)

    /// Keras's fuzz factor for clamping probabilities.
    public static let epsilon: Float = 1e-7

    /// Short names: `mse`, `mae`, `huber`, `binary_crossentropy`, `categorical_crossentropy`.
    public var description: String {
        switch self {
        case .meanSquaredError: return "mse"
        case .meanAbsoluteError: return "mae"
        case .huber: return "huber"
        case .binaryCrossEntropy: return "binary_crossentropy"
        case .categoricalCrossEntropy: return "categorical_crossentropy"
        }
    }

    /// Parses the short names of `description` (and `mean_squared_error`, `bce`, `cce`, …).
    public init?(name: String) {
        switch name.lowercased() {
        case "mse", "mean_squared_error", "meansquarederror": self = .meanSquaredError
        case "mae", "mean_absolute_error", "meanabsoluteerror": self = .meanAbsoluteError
        case "huber": self = .huber()
        case "bce", "binary_crossentropy", "binarycrossentropy": self = .binaryCrossEntropy()
        case "cce", "categorical_crossentropy", "categoricalcrossentropy": self = .categoricalCrossEntropy()
        default: return nil
        }
    }

    /// The loss value and dL/d(prediction).
    /// - Parameters:
    ///   - prediction: the model's output.
    ///   - target: same shape as `prediction`.
    ///   - weights: optional per-row weights or mask, shaped like `prediction` without its
    ///     last axis (`[B]` or `[B, T]`).
    public func callAsFunction(_ prediction: Tensor, _ target: Tensor, weights: Tensor? = nil) throws -> LossResult {
        try compute(prediction, target, weights: weights, wantsGradient: true)
    }

    /// The loss value only (no gradient is computed).
    public func value(_ prediction: Tensor, _ target: Tensor, weights: Tensor? = nil) throws -> Double {
        try compute(prediction, target, weights: weights, wantsGradient: false).value
    }

    private func compute(_ p: Tensor, _ y: Tensor, weights: Tensor?, wantsGradient: Bool) throws -> LossResult {
        guard p.shape == y.shape else {
            throw ModelError.shapeMismatch("\(self) loss: prediction \(p.shape) and target \(y.shape) differ")
        }
        guard p.rank >= 1, p.count > 0 else { throw ModelError.shapeMismatch("\(self) loss on an empty tensor \(p.shape)") }
        let width = p.shape.last!
        let rows = p.count / width
        if let w = weights {
            guard w.shape == Array(p.shape.dropLast()), w.count == rows else {
                throw ModelError.shapeMismatch("loss weights have shape \(w.shape); expected \(Array(p.shape.dropLast()))")
            }
        }
        // Row weights normalised so they sum to one: the loss is Σ ŵᵣ lᵣ.
        var rowScale = [Double](repeating: 1 / Double(rows), count: rows)
        if let w = weights {
            let total = w.scalars.reduce(0.0) { $0 + Double($1) }
            guard total > 0, w.scalars.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw ModelError.invalidConfiguration("loss weights must be finite, non-negative and not all zero")
            }
            for r in 0..<rows { rowScale[r] = Double(w.scalars[r]) / total }
        }
        var gradient = wantsGradient ? [Float](repeating: 0, count: p.count) : []
        var total = 0.0
        p.scalars.withUnsafeBufferPointer { ps in
            y.scalars.withUnsafeBufferPointer { ys in
                for r in 0..<rows where rowScale[r] != 0 {
                    let base = r * width
                    let rowLoss: Double
                    switch self {
                    case .categoricalCrossEntropy(let fromLogits):
                        rowLoss = fromLogits
                            ? Self.softmaxCrossEntropyRow(ps, ys, base, width, rowScale[r], &gradient, wantsGradient)
                            : Self.crossEntropyRow(ps, ys, base, width, rowScale[r], &gradient, wantsGradient)
                    default:
                        // Element-wise: row loss is the mean over the row.
                        let scale = rowScale[r] / Double(width)
                        var sum = 0.0
                        for j in base..<(base + width) {
                            let (l, g) = elementLoss(ps[j], ys[j])
                            sum += l
                            if wantsGradient { gradient[j] = Float(g * scale) }
                        }
                        rowLoss = sum / Double(width)
                    }
                    total += rowScale[r] * rowLoss
                }
            }
        }
        return LossResult(value: total, gradient: Tensor(shape: wantsGradient ? p.shape : [0], scalars: gradient))
    }

    /// Loss and d(loss)/dp of one element for the element-wise losses, in Double.
    @inline(__always)
    private func elementLoss(_ pf: Float, _ yf: Float) -> (Double, Double) {
        let p = Double(pf), y = Double(yf)
        switch self {
        case .meanSquaredError:
            let d = p - y
            return (d * d, 2 * d)
        case .meanAbsoluteError:
            let d = p - y
            return (abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
        case .huber(let deltaF):
            let delta = Double(deltaF), d = p - y
            if abs(d) <= delta { return (0.5 * d * d, d) }
            return (delta * (abs(d) - 0.5 * delta), d > 0 ? delta : -delta)
        case .binaryCrossEntropy(let fromLogits):
            if fromLogits {
                // max(z, 0) − z·y + log(1 + e^{−|z|}); derivative σ(z) − y.
                let z = p
                let l = max(z, 0) - z * y + Double.log(onePlus: Double.exp(-abs(z)))
                let s = z >= 0 ? 1 / (1 + Double.exp(-z)) : Double.exp(z) / (1 + Double.exp(z))
                return (l, s - y)
            }
            let eps = Double(Loss.epsilon), hi = Double(1 - Loss.epsilon)
            let c = min(max(p, eps), hi)
            let l = -(y * Double.log(c) + (1 - y) * Double.log(1 - c))
            let inside = p >= eps && p <= hi
            return (l, inside ? -(y / c) + (1 - y) / (1 - c) : 0)
        case .categoricalCrossEntropy:
            preconditionFailure("categorical cross-entropy is computed per row")
        }
    }

    /// −Σ y log clip(p/Σp) over one row; adds `scale`·d/dp to `gradient`.
    private static func crossEntropyRow(_ p: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, _ base: Int, _ width: Int,
                                        _ scale: Double, _ gradient: inout [Float], _ wantsGradient: Bool) -> Double {
        let eps = Double(epsilon), hi = Double(1 - epsilon)
        var sum = 0.0
        for j in base..<(base + width) { sum += Double(p[j]) }
        if sum == 0 { sum = 1 }  // a row of zeros: clamping decides the value
        var loss = 0.0
        // a_k = dL/dq_k (zero where clamped); dL/dp_j = (a_j − Σ a_k q_k) / Σp.
        var a = [Double](repeating: 0, count: width)
        var aq = 0.0
        for k in 0..<width {
            let q = Double(p[base + k]) / sum
            let c = min(max(q, eps), hi)
            let t = Double(y[base + k])
            loss -= t * Double.log(c)
            if q >= eps && q <= hi { a[k] = -t / c; aq += a[k] * q }
        }
        if wantsGradient {
            for k in 0..<width { gradient[base + k] = Float(scale * (a[k] - aq) / sum) }
        }
        return loss
    }

    /// −Σ y log softmax(z) over one row; adds `scale`·d/dz to `gradient`.
    private static func softmaxCrossEntropyRow(_ z: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, _ base: Int, _ width: Int,
                                               _ scale: Double, _ gradient: inout [Float], _ wantsGradient: Bool) -> Double {
        var m = -Double.infinity
        for j in base..<(base + width) { m = max(m, Double(z[j])) }
        var sumExp = 0.0
        for j in base..<(base + width) { sumExp += Double.exp(Double(z[j]) - m) }
        let logSum = m + Double.log(sumExp)
        var loss = 0.0, sumY = 0.0
        for j in base..<(base + width) {
            let t = Double(y[j])
            loss -= t * (Double(z[j]) - logSum)
            sumY += t
        }
        if wantsGradient {
            for j in base..<(base + width) {
                let s = Double.exp(Double(z[j]) - logSum)
                gradient[j] = Float(scale * (s * sumY - Double(y[j])))
            }
        }
        return loss
    }
}

/// A loss value with its gradient.
public struct LossResult: Sendable {
    /// The reduced loss, accumulated in Double.
    public var value: Double
    /// dL/d(prediction), shaped like the prediction (empty when not requested).
    public var gradient: Tensor
}
