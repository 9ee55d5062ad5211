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
    // glibc's <malloc.h> parameter numbers (the header is not part of Swift's Glibc module).
    private static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3

    static func apply() {
        #if canImport(Glibc)
        if ProcessInfo.processInfo.environment["RK_MALLOC_DEFAULTS"] == "1" { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mmapThreshold, 32 * 1024 * 1024)  // glibc's own dynamic maximum
        _ = mallopt(trimThreshold, 256 * 1024 * 1024)
        #endif
    }
}
