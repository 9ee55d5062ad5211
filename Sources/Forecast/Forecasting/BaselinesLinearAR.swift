/// Why a linear model could not be fitted.
public enum LinearModelError: Error, CustomStringConvertible, Equatable {
    case noData
    case countMismatch
    case notPositiveDefinite

    public var description: String {
        switch self {
        case .noData: return "no training windows"
        case .countMismatch: return "inputs and targets differ in count or width"
        case .notPositiveDefinite: return "the normal equations are singular; raise the ridge"
        }
    }
}

/// Linear autoregression on the same windows as the networks: each of the h target
/// steps is an intercept plus a weighted sum of the window's values (direct multi-step),
/// fitted by least squares through the normal equations with a small ridge, solved in
/// Double by Cholesky factorisation.
public struct LinearAutoregression: Equatable, Sendable {
    /// `weights[k]` = [intercept, w_1 … w_p] for target step k.
    public var weights: [[Double]]

    /// Fits on windows (`inputs[n]` of length p, `targets[n]` of length h). The ridge
    /// `epsilon` is added to the diagonal of XᵀX for all but the intercept.
    public init(inputs: [[Double]], targets: [[Double]], ridge epsilon: Double = 1e-8) throws {
        guard let p = inputs.first?.count, let h = targets.first?.count else { throw LinearModelError.noData }
        guard inputs.count == targets.count, inputs.allSatisfy({ $0.count == p }), targets.allSatisfy({ $0.count == h }) else {
            throw LinearModelError.countMismatch
        }
        let d = p + 1
        var a = Array(repeating: 0.0, count: d * d)
        var b = Array(repeating: Array(repeating: 0.0, count: d), count: h)
        for (x, y) in zip(inputs, targets) {
            let row = [1.0] + x
            for i in 0..<d {
                for j in 0...i { a[i * d + j] += row[i] * row[j] }
                for k in 0..<h { b[k][i] += row[i] * y[k] }
            }
        }
        for i in 0..<d { for j in 0..<i { a[j * d + i] = a[i * d + j] } }
        let scale = (1..<d).map { a[$0 * d + $0] }.max() ?? 1
        for i in 1..<d { a[i * d + i] += epsilon * max(scale, 1) }
        let l = try LinearAutoregression.cholesky(a, d)
        weights = b.map { LinearAutoregression.solve(l, d, $0) }
    }

    /// The h predictions for one history of length p.
    public func predict(_ history: [Double]) -> [Double] {
        weights.map { w in zip(w.dropFirst(), history).reduce(w[0]) { $0 + $1.0 * $1.1 } }
    }

    /// Lower-triangular L with A = L Lᵀ (row-major d×d).
    static func cholesky(_ a: [Double], _ d: Int) throws -> [Double] {
        var l = Array(repeating: 0.0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard s > 0, s.isFinite else { throw LinearModelError.notPositiveDefinite }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        return l
    }

    /// Solves L Lᵀ x = b.
    static func solve(_ l: [Double], _ d: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<d {
            for k in 0..<i { y[i] -= l[i * d + k] * y[k] }
            y[i] /= l[i * d + i]
        }
        var x = y
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<d { x[i] -= l[k * d + i] * x[k] }
            x[i] /= l[i * d + i]
        }
        return x
    }
}

/// Linear autoregression on differences (an ARIMA(p, 1, 0) with drift on the window): the
/// changes inside each window predict the change from its last value, so a trend or a level
/// the training part never saw does not pull it off.
public struct DifferencedAutoregression: Equatable, Sendable {
    public var changes: LinearAutoregression

    /// Fits on level windows (`histories[n]` of length p ≥ 2, `targets[n]` the next h levels).
    public init(histories: [[Double]], targets: [[Double]], ridge: Double = 1e-8) throws {
        guard let p = histories.first?.count, p >= 2 else { throw LinearModelError.noData }
        changes = try LinearAutoregression(inputs: histories.map(Self.differences),
                                           targets: zip(histories, targets).map { h, y in y.map { $0 - h.last! } }, ridge: ridge)
    }

    /// The h levels after one history.
    public func predict(_ history: [Double]) -> [Double] {
        changes.predict(Self.differences(history)).map { $0 + history.last! }
    }

    static func differences(_ h: [Double]) -> [Double] { (1..<h.count).map { h[$0] - h[$0 - 1] } }
}
