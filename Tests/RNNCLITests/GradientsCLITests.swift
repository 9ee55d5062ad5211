import Foundation
import XCTest

/// Bad input to `rnn gradients` and `rnn demo adding` ends with a one-line error and exit 1.
final class GradientsCLITests: XCTestCase {
    /// Runs the built `rnn` (found by the shared runner) in the temporary folder.
    private func runRNN(_ arguments: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(arguments, in: FileManager.default.temporaryDirectory)
    }

    private func assertOneLineError(_ arguments: [String], mentions text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try runRNN(arguments)
        XCTAssertEqual(r.status, 1, "exit status of \(arguments)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(lines.count, 1, "one line on stderr for \(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), "\(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testGradientsRejectsBadInput() throws {
        try assertOneLineError(["gradients", "--steps=-5", "--quiet"], mentions: "--steps must be at least 2, got -5")
        try assertOneLineError(["gradients", "--steps", "-5", "--quiet"], mentions: "--steps must be at least 2, got -5")
        try assertOneLineError(["gradients", "--cells", "rnn,tcn", "--quiet"], mentions: "unknown cell 'tcn'")
        try assertOneLineError(["gradients", "--recurrent-scale=-1", "--quiet"], mentions: "--recurrent-scale must be positive")
        try assertOneLineError(["gradients", "--units", "0", "--quiet"], mentions: "--units must be at least 1")
    }

    func testDemoAddingRejectsBadInput() throws {
        try assertOneLineError(["demo", "adding", "--steps=-5", "--quiet"], mentions: "got '-5'")
        try assertOneLineError(["demo", "adding", "--steps", "50,x", "--quiet"], mentions: "got 'x' in '50,x'")
        try assertOneLineError(["demo", "adding", "--steps", "-100", "--quiet"], mentions: "got '-100'")
        try assertOneLineError(["demo", "adding", "--units", "-4", "--quiet"], mentions: "--units must be at least 1, got -4")
        try assertOneLineError(["demo", "adding", "--cells", "lstm,foo", "--quiet"], mentions: "unknown cell 'foo'")
        try assertOneLineError(["demo", "adding", "--epochs", "0", "--quiet"], mentions: "--epochs must be at least 1")
    }

    func testTinyDemoAddingPrintsTheDocumentedJSON() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-adding-cli-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try runRNN(["demo", "adding", "--steps", "8", "--cells", "lstm", "--units", "4", "--train-samples", "64",
                            "--test-samples", "32", "--epochs", "2", "--json", "--quiet", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try XCTUnwrap(object["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(results[0]["cell"] as? String, "lstm")
        XCTAssertEqual(results[0]["steps"] as? Int, 8)
        XCTAssertNotNil(results[0]["test_mse"] as? Double)
        XCTAssertEqual(try XCTUnwrap(results[0]["baseline_mse"] as? Double), 1.0 / 6, accuracy: 0.08)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/report.html"))
    }
}
