import Foundation
import XCTest

extension CLIRunner {
    /// A fresh temporary folder removed when `test` ends.
    static func tempDir(for test: XCTestCase) throws -> URL {
        let dir = try tempDir()
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}

/// Asserts a command failed the way the CLI promises: exit 1, a short clear message on
/// stderr naming `text`, no crash.
func assertCleanFailure(_ r: CLIRunner.Output, mentions text: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(r.status, 1, "exit status; stderr: \(r.stderr)", file: file, line: line)
    XCTAssertTrue(r.stderr.localizedCaseInsensitiveContains(text), "stderr should mention '\(text)': \(r.stderr)", file: file, line: line)
    XCTAssertLessThanOrEqual(r.errorLines.count, 3, "a short error, not a dump: \(r.stderr)", file: file, line: line)
    XCTAssertFalse(r.stderr.contains("Fatal error"), "crashed: \(r.stderr)", file: file, line: line)
}
