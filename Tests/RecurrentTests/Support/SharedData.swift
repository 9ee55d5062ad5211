import Foundation
import XCTest

/// Locates `../shared` beside the package (or `$RECURRENT_SHARED`); tests skip when absent.
enum SharedData {
    static var root: URL? {
        if let env = ProcessInfo.processInfo.environment["RECURRENT_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let shared = package.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }

    /// The URL of `relative` inside the shared folder, or an `XCTSkip`.
    static func require(_ relative: String) throws -> URL {
        guard let root else { throw XCTSkip("../shared is absent: skipping a test on shared data") }
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("\(relative) is absent from ../shared") }
        return url
    }
}
