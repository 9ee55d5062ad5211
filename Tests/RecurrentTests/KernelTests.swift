import CKernels
@testable import Recurrent
import Foundation
import XCTest

/// Fast kernels (portable, AVX2, AVX-512, NEON: every one this CPU has) against the
/// reference kernels in CKernels.
final class KernelTests: XCTestCase {
    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform(_ lo: Float = -1, _ hi: Float = 1) -> Float {
            lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
        mutating func array(_ n: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
            (0..<n).map { _ in uniform(lo, hi) }
        }
    }

    private var savedThreads: Int32 = 1

    override func setUp() {
        super.setUp()
        savedThreads = rk_threads()
        rk_set_path(RK_PATH_AUTO)
    }

    override func tearDown() {
        rk_set_path(RK_PATH_AUTO)
        rk_set_threads(savedThreads)
        super.tearDown()
    }

    /// The fast paths this machine can run; the ones it lacks are named once as skipped.
    private var fastPaths: [rk_path] {
        var paths: [rk_path] = []
        for isa in Kernels.ISA.allCases where isa != .reference {
            if isa.isSupported { paths.append(isa.cPath) }
            else { print("KernelTests: skipping kernel path \(isa.rawValue): this CPU cannot run it") }
        }
        return paths
    }

    // MARK: GEMM

    /// Runs one product on `path` and on the reference and checks every element against an
    /// error bound for Float32 accumulation: 1e-5 * sqrt(K) * (|alpha| sum|a b| + |beta c|).
    private func checkGemm(path: rk_path, transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
                           alpha: Float, beta: Float, pad: Int, rng: inout SplitMix,
                           file: StaticString = #filePath, line: UInt = #line) {
        let (aRows, aCols) = transA ? (K, M) : (M, K)
        let (bRows, bCols) = transB ? (N, K) : (K, N)
        let lda = aCols + pad, ldb = bCols + pad, ldc = N + pad
        let A = rng.array(max(1, aRows * lda)), B = rng.array(max(1, bRows * ldb))
        let C0 = beta == 0 ? [Float](repeating: .nan, count: max(1, M * ldc)) : rng.array(max(1, M * ldc))
        var fast = C0, ref = C0
        rk_set_path(path)
        rk_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(M), Int32(N), Int32(K), alpha,
                 A, Int32(lda), B, Int32(ldb), beta, &fast, Int32(ldc))
        rk_set_path(RK_PATH_REFERENCE)
        rk_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(M), Int32(N), Int32(K), alpha,
                 A, Int32(lda), B, Int32(ldb), beta, &ref, Int32(ldc))
        rk_set_path(RK_PATH_AUTO)
        var worst = 0.0
        for i in 0..<M {
            for j in 0..<N {
                var absDot = 0.0
                for k in 0..<K {
                    let a = transA ? A[k * lda + i] : A[i * lda + k]
                    let b = transB ? B[j * ldb + k] : B[k * ldb + j]
                    absDot += Double(abs(a * b))
                }
                let cTerm = beta == 0 ? 0 : Double(abs(beta * C0[i * ldc + j]))
                let bound = 1e-5 * Double(max(K, 1)).squareRoot() * (Double(abs(alpha)) * absDot + cTerm) + 1e-30
                let err = Double(abs(fast[i * ldc + j] - ref[i * ldc + j]))
                if !(err <= bound) {
                    XCTFail("sgemm path \(path.rawValue) tA=\(transA) tB=\(transB) M=\(M) N=\(N) K=\(K) "
                        + "alpha=\(alpha) beta=\(beta) pad=\(pad): C[\(i),\(j)] = \(fast[i * ldc + j]), "
                        + "reference \(ref[i * ldc + j])", file: file, line: line)
                    return
                }
                worst = max(worst, err / bound)
            }
        }
        // Padding between rows of C must be untouched.
        for i in 0..<M {
            for j in N..<ldc where !(fast[i * ldc + j] == C0[i * ldc + j] || (fast[i * ldc + j].isNaN && C0[i * ldc + j].isNaN)) {
                XCTFail("sgemm wrote outside C at [\(i),\(j)]", file: file, line: line)
                return
            }
        }
    }

    func testGemmRandomOddShapesAllTransposes() {
        var rng = SplitMix(state: 1)
        let sizes = [1, 3, 7, 16, 17, 33, 50, 65, 129]
        for path in fastPaths {
            for transA in [false, true] {
                for transB in [false, true] {
                    for _ in 0..<12 {
                        checkGemm(path: path, transA: transA, transB: transB,
                                  M: rng.pick(sizes), N: rng.pick(sizes), K: rng.pick(sizes),
                                  alpha: rng.pick([1, -0.5, 2.25]), beta: rng.pick([0, 1, 0.75]),
                                  pad: rng.pick([0, 1, 5]), rng: &rng)
                    }
                }
            }
        }
    }

    /// Shapes that cross the cache blocks (K > 256 splits the beta handling, M > 96, N > 2048)
    /// and the threading cut-off, on one and on two threads.
    func testGemmBlockBoundariesAndThreads() {
        var rng = SplitMix(state: 2)
        let shapes: [(Int, Int, Int)] = [(150, 200, 100), (97, 70, 300), (7, 2100, 5), (130, 33, 520), (6, 16, 257)]
        for threads in [1, 2] {
            rk_set_threads(Int32(threads))
            for path in fastPaths {
                for (M, N, K) in shapes {
                    for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                        checkGemm(path: path, transA: transA, transB: transB, M: M, N: N, K: K,
                                  alpha: 1.5, beta: rng.pick([0, 0.5]), pad: 3, rng: &rng)
                    }
                }
            }
        }
    }

    func testGemmEmptyK() {
        for path in fastPaths {
            rk_set_path(path)
            var c: [Float] = [.nan, .nan, .nan, .nan]
            rk_sgemm(0, 0, 2, 2, 0, 1, [0], 1, [0], 2, 0, &c, 2)
            XCTAssertEqual(c, [0, 0, 0, 0])
            var d: [Float] = [1, 2, 3, 4]
            rk_sgemm(0, 0, 2, 2, 0, 1, [0], 1, [0], 2, 2, &d, 2)
            XCTAssertEqual(d, [2, 4, 6, 8])
        }
    }

    /// Several caller threads at once: the pool serves one, the others run inline.
    func testGemmConcurrentCallers() {
        rk_set_threads(2)
        let M = 150, N = 140, K = 130
        var rng = SplitMix(state: 3)
        let A = rng.array(M * K), B = rng.array(K * N)
        var expected = [Float](repeating: 0, count: M * N)
        rk_set_path(RK_PATH_REFERENCE)
        rk_sgemm(0, 0, Int32(M), Int32(N), Int32(K), 1, A, Int32(K), B, Int32(N), 0, &expected, Int32(N))
        rk_set_path(RK_PATH_AUTO)
        let reference = expected
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<5 {
                var c = [Float](repeating: .nan, count: M * N)
                rk_sgemm(0, 0, Int32(M), Int32(N), Int32(K), 1, A, Int32(K), B, Int32(N), 0, &c, Int32(N))
                if zip(c, reference).contains(where: { !(abs($0 - $1) <= 1e-4) }) { failures.increment() }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }

    func testPeakMeasurementRuns() {
        let gflops = rk_measure_gemm_peak_gflops(64, 2)
        XCTAssertGreaterThan(gflops, 0)
        XCTAssertTrue(gflops.isFinite)
    }

    // MARK: Activations

    private static let extremes: [Float] = [
        0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 0.5, -0.5, 0.625, -0.625, 9, -9, 15, -15, 30, -30,
        80, -80, 87, -87, 87.5, -87.5, 88.7, -88.7, 89, -89, 100, -100, 1e10, -1e10,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity,
        .leastNormalMagnitude, -.leastNormalMagnitude,
    ]

    private func sweepInputs() -> [Float] {
        var xs = (-30000...30000).map { Float($0) * 1e-3 }
        xs += Self.extremes
        return xs
    }

    /// Worst |y - exact| relative to max(|exact|, floor), over all finite inputs.
    private func check(_ name: String, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                       exact: (Double) -> Double, absTol: Double, relTol: Double) {
        let xs = sweepInputs()
        var ys = [Float](repeating: 0, count: xs.count)
        kernel(xs, &ys, xs.count)
        var worstAbs = 0.0, worstRel = 0.0
        for (x, y) in zip(xs, ys) {
            let t = exact(Double(x))
            let err = abs(Double(y) - t)
            worstAbs = max(worstAbs, err)
            if abs(t) > 1e-30 { worstRel = max(worstRel, err / abs(t)) }
            if !(err <= absTol || err <= relTol * abs(t)) {
                XCTFail("\(name)(\(x)) = \(y), exact \(t)")
                return
            }
        }
        // NaN in, NaN out; in place (x and y aliasing) gives the same values.
        var nan: [Float] = [.nan, 1, -.nan, 2, 3, 4, 5, 6, .nan]
        nan.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.baseAddress!, $0.count) }
        XCTAssertTrue(nan[0].isNaN && nan[2].isNaN && nan[8].isNaN, "\(name) must propagate NaN")
        XCTAssertFalse(nan[1].isNaN)
        print("\(name): max abs error \(worstAbs), max rel error \(worstRel) (|exact| > 1e-30)")
    }

    func testSigmoidAccuracy() {
        for path in fastPaths + [RK_PATH_REFERENCE] {
            rk_set_path(path)
            check("sigmoid[path \(path.rawValue)]", { rk_sigmoid($0, $1, $2) },
                  exact: { 1 / (1 + Foundation.exp(-$0)) }, absTol: 1e-37, relTol: 5e-7)
        }
    }

    func testTanhAccuracy() {
        for path in fastPaths + [RK_PATH_REFERENCE] {
            rk_set_path(path)
            check("tanh[path \(path.rawValue)]", { rk_tanh($0, $1, $2) },
                  exact: { Foundation.tanh($0) }, absTol: 1e-37, relTol: 5e-7)
        }
    }

    func testActivationsSaturateAndMatchSigns() {
        let xs: [Float] = [-.infinity, -1e30, -50, -0.0, 0, 50, 1e30, .infinity]
        var s = [Float](repeating: 9, count: xs.count), t = s
        rk_sigmoid(xs, &s, xs.count)
        rk_tanh(xs, &t, xs.count)
        XCTAssertEqual(s, [0, 0, s[2], 0.5, 0.5, 1, 1, 1])
        XCTAssertLessThan(s[2], 2e-22)
        XCTAssertEqual(t, [-1, -1, -1, -0.0, 0, 1, 1, 1])
        XCTAssertEqual(t[3].sign, .minus)
    }

    // MARK: Bias and column sums

    func testBiasRowsAndColumnSums() {
        var rng = SplitMix(state: 4)
        for (M, N, pad) in [(1, 1, 0), (3, 7, 2), (5, 33, 1), (17, 65, 0), (2, 8, 3)] {
            let X0 = rng.array(M * (N + pad)), bias = rng.array(N), acc0 = rng.array(N)
            var xf = X0, xr = X0, af = acc0, ar = acc0
            rk_set_path(RK_PATH_REFERENCE)
            rk_add_bias_rows(&xr, Int32(M), Int32(N), Int32(N + pad), bias)
            rk_accumulate_column_sums(X0, Int32(M), Int32(N), Int32(N + pad), &ar)
            rk_set_path(RK_PATH_AUTO)
            rk_add_bias_rows(&xf, Int32(M), Int32(N), Int32(N + pad), bias)
            rk_accumulate_column_sums(X0, Int32(M), Int32(N), Int32(N + pad), &af)
            XCTAssertEqual(xf, xr, "bias M=\(M) N=\(N)")
            for j in 0..<N { XCTAssertEqual(af[j], ar[j], accuracy: 1e-5 * Float(M), "column sums M=\(M) N=\(N)") }
        }
    }

    // MARK: Cells

    private func assertClose(_ a: [Float], _ b: [Float], _ what: String, tol: Float = 2e-6,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for i in 0..<a.count where !(abs(a[i] - b[i]) <= tol * max(1, abs(b[i]))) {
            XCTFail("\(what)[\(i)] = \(a[i]), reference \(b[i])", file: file, line: line)
            return
        }
    }

    private let cellShapes = [(1, 1), (1, 8), (3, 5), (2, 13), (4, 33), (3, 64)]

    /// Runs `body` on the fast path and on the reference and returns both results.
    private func both<T>(_ body: () -> T) -> (fast: T, ref: T) {
        rk_set_path(RK_PATH_AUTO)
        let f = body()
        rk_set_path(RK_PATH_REFERENCE)
        let r = body()
        rk_set_path(RK_PATH_AUTO)
        return (f, r)
    }

    func testRNNCells() {
        var rng = SplitMix(state: 5)
        for (B, H) in cellShapes {
            let n = B * H
            for act in Int32(0)...1 {
                let xp = rng.array(n, -3, 3), hh = rng.array(n, -3, 3), dh = rng.array(n)
                let fwd = both { () -> [Float] in
                    var h = [Float](repeating: 0, count: n)
                    rk_rnn_forward(Int32(B), Int32(H), act, xp, hh, &h)
                    return h
                }
                assertClose(fwd.fast, fwd.ref, "rnn_forward act=\(act) B=\(B) H=\(H)")
                let bwd = both { () -> [Float] in
                    var d = [Float](repeating: 0, count: n)
                    rk_rnn_backward(Int32(B), Int32(H), act, dh, fwd.ref, &d)
                    return d
                }
                assertClose(bwd.fast, bwd.ref, "rnn_backward act=\(act) B=\(B) H=\(H)")
            }
        }
    }

    func testLSTMCells() {
        var rng = SplitMix(state: 6)
        for (B, H) in cellShapes {
            let n = B * H, g = 4 * n
            let xp = rng.array(g, -4, 4), hh = rng.array(g, -4, 4), cPrev = rng.array(n, -2, 2)
            let fwd = both { () -> [[Float]] in
                var gates = [Float](repeating: 0, count: g), c = [Float](repeating: 0, count: n)
                var tc = c, h = c
                rk_lstm_forward(Int32(B), Int32(H), xp, hh, cPrev, &gates, &c, &tc, &h)
                return [gates, c, tc, h]
            }
            for (i, name) in ["gates", "c", "tanh(c)", "h"].enumerated() {
                assertClose(fwd.fast[i], fwd.ref[i], "lstm_forward \(name) B=\(B) H=\(H)")
            }
            let dh = rng.array(n), dc0 = rng.array(n)
            let bwd = both { () -> [[Float]] in
                var dc = dc0, dpre = [Float](repeating: 0, count: g)
                rk_lstm_backward(Int32(B), Int32(H), dh, &dc, fwd.ref[0], cPrev, fwd.ref[2], &dpre)
                return [dc, dpre]
            }
            assertClose(bwd.fast[0], bwd.ref[0], "lstm_backward dc B=\(B) H=\(H)")
            assertClose(bwd.fast[1], bwd.ref[1], "lstm_backward dpre B=\(B) H=\(H)")
        }
    }

    func testGRUCells() {
        var rng = SplitMix(state: 7)
        for (B, H) in cellShapes {
            let n = B * H, g = 3 * n
            let xp = rng.array(g, -4, 4), hh = rng.array(g, -4, 4), hPrev = rng.array(n)
            let fwd = both { () -> [[Float]] in
                var gates = [Float](repeating: 0, count: g), h = [Float](repeating: 0, count: n)
                rk_gru_forward(Int32(B), Int32(H), xp, hh, hPrev, &gates, &h)
                return [gates, h]
            }
            assertClose(fwd.fast[0], fwd.ref[0], "gru_forward gates B=\(B) H=\(H)")
            assertClose(fwd.fast[1], fwd.ref[1], "gru_forward h B=\(B) H=\(H)")
            let dh = rng.array(n)
            let bwd = both { () -> [[Float]] in
                var dxp = [Float](repeating: 0, count: g), dhh = dxp, dhPrev = [Float](repeating: 0, count: n)
                rk_gru_backward(Int32(B), Int32(H), dh, fwd.ref[0], hh, hPrev, &dxp, &dhh, &dhPrev)
                return [dxp, dhh, dhPrev]
            }
            for (i, name) in ["dxp", "dhh", "dh_prev"].enumerated() {
                assertClose(bwd.fast[i], bwd.ref[i], "gru_backward \(name) B=\(B) H=\(H)")
            }
        }
    }
}

/// A counter that concurrent iterations bump under a lock.
private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// Empty arrays reach the kernels without a trap (their buffers may have no address).
final class EmptyArrayPointerTests: XCTestCase {
    func testEmptyArraysGiveUsablePointers() {
        let empty: [Float] = []
        var out: [Float] = []
        let read = empty.withPointer { _ in true }
        let written = out.withMutablePointer { p -> Bool in
            Kernels.gemm(m: 0, n: 0, k: 0, a: UnsafePointer(p), lda: 1, b: UnsafePointer(p), ldb: 1, c: p, ldc: 1)
            return true
        }
        XCTAssertTrue(read && written)
        XCTAssertEqual(out, [])
    }
}
