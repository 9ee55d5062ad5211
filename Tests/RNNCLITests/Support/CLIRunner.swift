import Foundation
import XCTest

/// Runs the real `rnn` binary built next to the test bundle.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The `rnn` executable in the build products folder.
    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for dir in candidates {
            let url = dir.appendingPathComponent("rnn")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("rnn")
    }

    /// Runs `rnn args…` and waits for it.
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs so a full pipe cannot block it.
        let outData = Collected(), errData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        process.waitUntilExit()
        group.wait()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                         stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// The JSON object a command printed on stdout.
    static func json(_ result: CLIResult, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            XCTFail("stdout is not a JSON object: \(result.stdout.prefix(300))", file: file, line: line)
            return [:]
        }
        return object
    }
}

/// Asserts a command failed the way the CLI promises: exit 1, one clear line on stderr.
func assertCleanFailure(_ r: CLIResult, mentions text: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(r.status, 1, "exit status; stderr: \(r.stderr)", file: file, line: line)
    let lines = r.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    XCTAssertTrue(r.stderr.localizedCaseInsensitiveContains(text), "stderr should mention '\(text)': \(r.stderr)", file: file, line: line)
    XCTAssertLessThanOrEqual(lines.count, 3, "a short error, not a dump: \(r.stderr)", file: file, line: line)
    XCTAssertFalse(r.stderr.contains("Fatal error"), "crashed: \(r.stderr)", file: file, line: line)
}

/// Bytes read on another thread; the reader finishes before `group.wait()` returns.
private final class Collected: @unchecked Sendable {
    var data = Data()
}
