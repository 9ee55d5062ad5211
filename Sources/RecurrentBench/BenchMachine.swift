import Recurrent
import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the benchmarks read off the machine: threads, matrix-multiply peak, memory, time.
public enum BenchMachine {

    /// The best rate of `repeats` square `size`³ products with the current threads, GFLOP/s, on
    /// the kernels of `isa` (default: those in use). The kernel selection is restored afterwards.
    public static func gemmPeakGFLOPS(size: Int = 1536, repeats: Int = 5, isa: Recurrent.Kernels.ISA? = nil) -> Double {
        let active = Recurrent.Kernels.isa
        if let isa, isa != active, Recurrent.Kernels.use(isa) {
            defer { Recurrent.Kernels.use(active) }
            return rk_measure_gemm_peak_gflops(Int32(size), Int32(repeats))
        }
        return rk_measure_gemm_peak_gflops(Int32(size), Int32(repeats))
    }

    /// Which kernels run and what the CPU offers, as the benchmark reports it.
    public struct KernelInfo: Sendable {
        /// The instruction set in use (`avx512`, `avx2`, `neon`, `portable`, `reference`).
        public var isa: String
        /// The fastest one this CPU supports.
        public var bestISA: String
        public var cpuModel: String
        public var cpuFeatures: [String]
    }

    public static var kernels: KernelInfo {
        KernelInfo(isa: Recurrent.Kernels.isa.rawValue, bestISA: Recurrent.Kernels.bestISA.rawValue,
                cpuModel: Recurrent.Kernels.cpuModel, cpuFeatures: Recurrent.Kernels.cpuFeatures)
    }

    /// The process's peak resident memory so far, in MiB (0 where unknown).
    public static var peakMemoryMiB: Double {
        var usage = rusage()
        #if canImport(Glibc)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes
        #else
        return Double(usage.ru_maxrss) / 1024  // KiB
        #endif
    }

    /// Seconds `body` takes, on the monotonic clock every timer of the project uses.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let elapsed = try ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// The median of `values` (mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "median of nothing")
        let s = values.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}
