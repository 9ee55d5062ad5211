import CKernels

/// Swift entry points to the C kernels (`Sources/CKernels`).
///
/// Every matrix product in the engine goes through `gemm`, so the reference and the fast
/// (AVX2/FMA) implementations can be swapped at run time and tested against each other.
public enum Kernels {
    /// Which kernel implementation runs.
    public enum Path: Sendable { case automatic, reference, fast }

    /// Selects the kernel implementation for the whole process (tests use `.reference`).
    public static func use(_ path: Path) {
        switch path {
        case .automatic: rk_set_path(RK_PATH_AUTO)
        case .reference: rk_set_path(RK_PATH_REFERENCE)
        case .fast: rk_set_path(RK_PATH_FAST)
        }
    }

    /// Threads a large matrix product may use (default: the CPU count or `$RK_THREADS`).
    /// Set 1 when running independent jobs in parallel threads.
    public static var threads: Int {
        get { Int(rk_threads()) }
        set { rk_set_threads(Int32(max(1, newValue))) }
    }

    /// True when the AVX2/FMA code is in use.
    public static var usesAVX2: Bool { rk_using_avx2() != 0 }

    /// Row-major `C[M,N] = alpha·op(A)·op(B) + beta·C`; `op(A)` is `[M,K]`, `op(B)` is `[K,N]`.
    @inline(__always)
    public static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        rk_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                 a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Array where Element == Float {
    /// Pointer access for kernel calls on an array that is only read.
    @inline(__always)
    func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Pointer access for kernel calls that write into the array.
    @inline(__always)
    mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }
}
