import CKernels

/// Swift entry points to the C kernels (`Sources/CKernels`).
///
/// Every matrix product in the engine goes through `gemm`, so the reference and the fast
/// implementations (portable C, AVX2/FMA, AVX-512, NEON) can be swapped at run time and
/// tested against each other. The fastest one the CPU supports is used unless `$RK_ISA`
/// (`avx512`, `avx2`, `neon`, `portable`, `reference`) or `use(_:)` says otherwise.
public enum Kernels {
    /// Which kernel implementation runs.
    public enum Path: Sendable { case automatic, reference, fast }

    /// An instruction set with kernels of its own.
    public enum ISA: String, Sendable, CaseIterable {
        case reference, portable, avx2, avx512, neon

        var cValue: rk_isa {
            switch self {
            case .reference: RK_ISA_REFERENCE
            case .portable: RK_ISA_PORTABLE
            case .avx2: RK_ISA_AVX2
            case .avx512: RK_ISA_AVX512
            case .neon: RK_ISA_NEON
            }
        }

        init(_ value: rk_isa) {
            self = ISA.allCases.first { $0.cValue == value } ?? .reference
        }

        var cPath: rk_path {
            switch self {
            case .reference: RK_PATH_REFERENCE
            case .portable: RK_PATH_PORTABLE
            case .avx2: RK_PATH_AVX2
            case .avx512: RK_PATH_AVX512
            case .neon: RK_PATH_NEON
            }
        }

        /// True when this CPU (and its operating system) can run these kernels.
        public var isSupported: Bool { rk_cpu_supports(cValue) != 0 }
    }

    /// Selects the kernel implementation for the whole process (tests use `.reference`).
    public static func use(_ path: Path) {
        switch path {
        case .automatic: rk_set_path(RK_PATH_AUTO)
        case .reference: rk_set_path(RK_PATH_REFERENCE)
        case .fast: rk_set_path(RK_PATH_FAST)
        }
    }

    /// Selects the kernels of one instruction set for the whole process. Returns false, and
    /// changes nothing, when this CPU cannot run them.
    @discardableResult
    public static func use(_ isa: ISA) -> Bool { rk_set_path(isa.cPath) != 0 }

    /// The instruction set the kernels use now.
    public static var isa: ISA { ISA(rk_active_isa()) }

    /// The fastest instruction set this CPU supports.
    public static var bestISA: ISA { ISA(rk_best_isa()) }

    /// Every instruction set this CPU can run, reference first.
    public static var supportedISAs: [ISA] { ISA.allCases.filter(\.isSupported) }

    /// The CPU's model name as the CPU reports it ("" where unknown).
    public static var cpuModel: String { String(cString: rk_cpu_model()) }

    /// The SIMD features the kernels detected (CPU and operating system), e.g. `["fma", "avx2", "avx512f"]`.
    public static var cpuFeatures: [String] {
        String(cString: rk_cpu_features()).split(separator: " ").map(String.init)
    }

    /// Threads a large matrix product may use (default: the CPU count or `$RK_THREADS`),
    /// clamped to 1…`maxThreads`. Set 1 when running independent jobs in parallel threads.
    public static var threads: Int {
        get { Int(rk_threads()) }
        set { rk_set_threads(Int32(min(max(1, newValue), maxThreads))) }
    }

    /// The most threads `threads` takes (a larger request is clamped, never trapped on).
    public static let maxThreads = 1_024

    /// Runs `body` with the kernels called from this thread kept on it (no thread pool), for
    /// work that is already split across threads.
    public static func onThisThreadOnly<R>(_ body: () throws -> R) rethrows -> R {
        rk_set_thread_serial(1)
        defer { rk_set_thread_serial(0) }
        return try body()
    }

    /// True when AVX2/FMA code is in use (the AVX2 or the AVX-512 kernels).
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
    /// Pointer access for kernel calls on an array that is only read. An empty array (whose
    /// buffer may have no address) passes a valid pointer to nothing: kernels given size 0 never
    /// read it.
    @inline(__always)
    func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { return try body(base) }
            var nothing: Float = 0
            return try withUnsafePointer(to: &nothing) { try body($0) }
        }
    }

    /// Pointer access for kernel calls that write into the array (an empty one as above).
    @inline(__always)
    mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { return try body(base) }
            var nothing: Float = 0
            return try withUnsafeMutablePointer(to: &nothing) { try body($0) }
        }
    }
}
