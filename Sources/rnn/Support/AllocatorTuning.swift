#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The CLI's malloc settings (glibc only). A training step frees and reallocates buffers of
/// the same few sizes (batch activations, layer outputs); with glibc's defaults those above
/// the trim threshold go back to the kernel and every batch pays page faults to get them
/// again. The library leaves process-wide settings alone; the `rnn` process chooses them
/// here. `RK_MALLOC_DEFAULTS=1` keeps glibc's own settings.
enum AllocatorTuning {
    static func apply() {
        #if canImport(Glibc)
        if ProcessInfo.processInfo.environment["RK_MALLOC_DEFAULTS"] == "1" { return }
        _ = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)  // glibc's own dynamic maximum
        _ = mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024)
        #endif
    }
}
