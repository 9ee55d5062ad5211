import CKernels
import XCTest
@testable import RecurrentBench
@testable import Recurrent

/// The fused C time loops (batch split across threads, W_hh packed once per pass) against
/// the reference kernels (plain loops, one thread) on random odd shapes, with and without
/// masking and truncated BPTT.
final class BenchFusedLoopTests: XCTestCase {
    override func tearDown() {
        rk_set_path(RK_PATH_AUTO)
        super.tearDown()
    }

    /// Output, dX, initial-state gradients and parameter gradients of one forward/backward.
    func pass(_ make: () -> any RecurrentLayer, x: Tensor, lengths: [Int]?, path: rk_path, seed: UInt64) -> [[Float]] {
        rk_set_path(path)
        defer { rk_set_path(RK_PATH_AUTO) }
        var layer = make()
        var rng = SeededGenerator(seed: seed)
        try! layer.build(inputShape: [x.shape[1], x.shape[2]], rng: &rng)
        let out = layer.forwardWithState(x, initialState: nil, lengths: lengths)
        var g = out.output
        for k in g.scalars.indices { g.scalars[k] = sinf(Float(k) * 0.37) }
        let back = layer.backward(outputGradient: g, finalStateGradients: nil)
        return [out.output.scalars, back.input.scalars] + back.initialStates.map(\.scalars) + layer.parameters.map(\.gradient.scalars)
    }

    func check(_ name: String, _ make: () -> any RecurrentLayer, b: Int, t: Int, f: Int, masked: Bool, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let x = Tensor(shape: [b, t, f], scalars: (0..<(b * t * f)).map { _ in rng.nextUniform(-1, 1) })
        let lengths = masked ? (0..<b).map { ($0 * 7) % (t + 1) } : nil
        let fast = pass(make, x: x, lengths: lengths, path: RK_PATH_AUTO, seed: seed)
        let reference = pass(make, x: x, lengths: lengths, path: RK_PATH_REFERENCE, seed: seed)
        XCTAssertEqual(fast.count, reference.count)
        for (k, (a, r)) in zip(fast, reference).enumerated() {
            XCTAssertEqual(a.count, r.count, "\(name) tensor \(k) size")
            var worst: Float = 0
            for i in a.indices { worst = max(worst, abs(a[i] - r[i]) / max(1, abs(r[i]))) }
            XCTAssertLessThan(worst, 2e-5, "\(name) B=\(b) T=\(t) F=\(f) masked=\(masked): tensor \(k) differs by \(worst)")
        }
    }

    func testFusedLoopsMatchReferenceOnOddShapes() {
        // B·G·H·H above the threading threshold (2^15) so the batch is split across threads.
        for (b, t, f, h) in [(13, 5, 3, 33), (7, 9, 1, 17), (29, 4, 5, 41), (1, 6, 2, 9)] {
            for masked in [false, true] {
                check("LSTM", { LSTM(h, returnSequences: true) }, b: b, t: t, f: f, masked: masked, seed: UInt64(b * 31 + h))
                check("GRU", { GRU(h, returnSequences: true) }, b: b, t: t, f: f, masked: masked, seed: UInt64(b * 37 + h))
                check("SimpleRNN", { SimpleRNN(h, returnSequences: true) }, b: b, t: t, f: f, masked: masked, seed: UInt64(b * 41 + h))
            }
        }
    }

    func testFusedLoopsMatchReferenceWithTruncatedBPTTAndLastOutputOnly() {
        check("LSTM bptt", { LSTM(21, bpttSteps: 3) }, b: 11, t: 8, f: 2, masked: false, seed: 5)
        check("GRU bptt", { GRU(19, bpttSteps: 2) }, b: 9, t: 7, f: 3, masked: false, seed: 6)
    }

    /// The result must not depend on how many threads split the batch.
    func testThreadCountDoesNotChangeResults() {
        let before = rk_threads()
        defer { rk_set_threads(before) }
        var rng = SeededGenerator(seed: 3)
        let x = Tensor(shape: [17, 6, 2], scalars: (0..<(17 * 12)).map { _ in rng.nextUniform(-1, 1) })
        var results: [[[Float]]] = []
        for threads in [1, 2, 3] {
            rk_set_threads(Int32(threads))
            results.append(pass({ GRU(37, returnSequences: true) }, x: x, lengths: nil, path: RK_PATH_AUTO, seed: 9))
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
    }
}
