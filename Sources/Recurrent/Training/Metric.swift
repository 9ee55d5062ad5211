/// A quantity reported next to the loss during `fit` and `evaluate`.
public enum Metric: String, Sendable, Equatable, CaseIterable {
    /// Mean absolute error over all elements (regression).
    case mae
    /// Mean squared error over all elements (regression).
    case mse
    /// Fraction of correct rows: argmax match over the last axis, or, with one output unit,
    /// prediction ≥ 0.5 matching target ≥ 0.5 (classification on probabilities).
    case accuracy
}

/// Running weighted mean of one metric over batches.
struct MetricAccumulator {
    let metric: Metric
    private var sum = 0.0
    private var count = 0.0

    init(_ metric: Metric) { self.metric = metric }

    /// The mean so far (0 before any batch).
    var value: Double { count > 0 ? sum / count : 0 }

    /// Adds one batch; shapes are already checked equal.
    mutating func add(_ prediction: Tensor, _ target: Tensor) {
        let p = prediction.scalars, y = target.scalars
        switch metric {
        case .mae, .mse:
            for i in p.indices {
                let d = Double(p[i]) - Double(y[i])
                sum += metric == .mae ? abs(d) : d * d
            }
            count += Double(p.count)
        case .accuracy:
            let width = prediction.shape.last ?? 1
            let rows = p.count / max(width, 1)
            for r in 0..<rows {
                let base = r * width
                if width == 1 {
                    if (p[base] >= 0.5) == (y[base] >= 0.5) { sum += 1 }
                } else {
                    var bestP = base, bestY = base
                    for j in base..<(base + width) {
                        if p[j] > p[bestP] { bestP = j }
                        if y[j] > y[bestY] { bestY = j }
                    }
                    if bestP == bestY { sum += 1 }
                }
            }
            count += Double(rows)
        }
    }
}
