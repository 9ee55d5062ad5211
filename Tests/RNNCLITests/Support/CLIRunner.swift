import Foundation
import XCTest

/// Runs the real `rnn` binary built next to the test bundle and captures what it prints.
struct CLIRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stderr's non-empty lines.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    /// The `rnn` executable: beside the .xctest bundle (Linux: `Bundle.main`'s folder; macOS:
    /// the bundle's parent), or `$RNN_BINARY`.
    static func binary() throws -> URL {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["RNN_BINARY"], fm.isExecutableFile(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        var folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") { folders.append(b.bundleURL.deletingLastPathComponent()) }
        if let arg = CommandLine.arguments.first(where: { $0.contains(".xctest") }) {
            var url = URL(fileURLWithPath: arg)
            while url.pathComponents.count > 1 && !url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
            folders.append(url.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("rnn")
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip("the rnn binary was not found beside the test bundle (\(folders.map(\.path))); build it with swift build")
    }

    /// Runs `rnn args…` in `directory` (default: a temporary folder) with `environment` added
    /// to this process's, and waits for it.
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        let tmp = FileManager.default.temporaryDirectory
        let outURL = tmp.appendingPathComponent("rnn-out-\(UUID().uuidString)")
        let errURL = tmp.appendingPathComponent("rnn-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// A fresh temporary folder.
    static func tempDir(_ prefix: String = "rnn-cli") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Parses a JSON object (stdout of `--json`, or a metrics.json).
    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dict = object as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
        return dict
    }

    static func json(file: URL) throws -> [String: Any] { try json(String(contentsOf: file, encoding: .utf8)) }
}
