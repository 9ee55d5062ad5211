import XCTest
@testable import Recurrent

/// Runs `body` once on every kernel path: the reference loops and each fast instruction set
/// (portable, AVX2, AVX-512, NEON). A path this CPU lacks is skipped with a printed line,
/// never silently; the path in use is passed to `body` so failure messages can name it.
/// The automatic choice is restored afterwards.
func onEveryKernelPath(_ what: String, _ body: (Kernels.ISA) throws -> Void) rethrows {
    defer { Kernels.use(.automatic) }
    for isa in Kernels.ISA.allCases {
        guard Kernels.use(isa) else {
            print("\(what): skipping kernel path \(isa.rawValue): this CPU cannot run it")
            continue
        }
        try body(isa)
    }
}
