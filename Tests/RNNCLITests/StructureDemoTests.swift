import Foundation
import XCTest

/// The five structure demos through the real `rnn` binary: a small version of each learns
/// (margins stated per test), writes its files, and bad input fails with one line and exit 1.
final class StructureDemoTests: XCTestCase {
    private func rnn(_ args: [String]) throws -> CLIRunner.Output { try CLIRunner.run(args) }

    private func tempDir() throws -> URL { try CLIRunner.tempDir(for: self) }

    /// Runs a demo with --json --quiet, checks exit 0, the files, and returns the JSON object.
    private func demo(_ name: String, _ args: [String], files: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let out = try tempDir()
        let r = try rnn(["demo", name, "--out", out.path, "--json", "--quiet"] + args)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        for f in ["report.html", "metrics.json"] + files {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(name): \(f) missing", file: file, line: line)
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            XCTFail("stdout is not one JSON object: \(r.stdout.prefix(200))", file: file, line: line); return [:]
        }
        return object
    }

    private func assertOneLineFailure(_ args: [String], mentions text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try rnn(args + ["--out", try tempDir().path])
        XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(lines.count, 1, "one line: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), "should mention \(text): \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error"), file: file, line: line)
    }

    /// Accuracy ≥ 0.9 against a majority class of at most 0.45.
    func testClassifyPoints() throws {
        let j = try demo("classify-points", ["--points", "80", "--epochs", "60", "--seed", "3"], files: ["regions.svg"])
        XCTAssertGreaterThanOrEqual(j["test_accuracy"] as? Double ?? 0, 0.9)
        XCTAssertLessThanOrEqual(j["majority_accuracy"] as? Double ?? 1, 0.45)
    }

    /// Generated wave MSE ≤ 0.2 × predicting 0.
    func testGenerate() throws {
        let j = try demo("generate", ["--length", "20", "--sequences", "120", "--units", "16", "--epochs", "25", "--seed", "5",
                                      "--temperatures", "0.5"], files: ["wave-1.svg", "symbols.svg"])
        XCTAssertLessThan(j["wave_generated_mse"] as? Double ?? 1, 0.2 * (j["wave_zero_mse"] as? Double ?? 0))
        XCTAssertGreaterThanOrEqual((j["symbol_rule_rate"] as? [String: Any])?["0.5"] as? Double ?? 0, 0.8)
    }

    /// Accuracy ≥ 0.8 against 0.25 for the majority class.
    func testClassifySequences() throws {
        let j = try demo("classify-sequences", ["--train", "320", "--test", "120", "--min-length", "16", "--max-length", "32",
                                                "--units", "16", "--epochs", "20", "--learning-rate", "0.01", "--seed", "2"], files: ["confusion.svg"])
        XCTAssertGreaterThanOrEqual(j["test_accuracy"] as? Double ?? 0, 0.8)
        XCTAssertEqual(j["majority_accuracy"] as? Double ?? 0, 0.25, accuracy: 1e-9)
    }

    /// Per-step F1 ≥ 0.7 where all-normal scores 0.
    func testTag() throws {
        let j = try demo("tag", ["--train", "240", "--test", "60", "--length", "40", "--units", "16", "--epochs", "30",
                                 "--spike-rate", "0.06", "--seed", "4"], files: ["f1.svg"])
        XCTAssertGreaterThanOrEqual(j["test_f1"] as? Double ?? 0, 0.7)
        XCTAssertEqual(j["baseline_f1"] as? Double, 0)
    }

    /// On the generated series: encoder–decoder RMSE ≤ 0.8 × persistence.
    func testSeq2SeqGenerated() throws {
        let j = try demo("seq2seq", ["--generated", "--lookback", "20", "--horizon", "10", "--units", "12", "--epochs", "12",
                                     "--learning-rate", "0.01", "--seed", "1"], files: ["rmse-per-step.svg"])
        XCTAssertLessThanOrEqual(j["encoder_decoder_rmse"] as? Double ?? 1, 0.8 * (j["persistence_rmse"] as? Double ?? 0))
        XCTAssertTrue((j["source"] as? String ?? "").contains("generated"))
    }

    func testBadInputFailsWithOneLine() throws {
        try assertOneLineFailure(["demo", "classify-points", "--points=-5"], mentions: "--points")
        try assertOneLineFailure(["demo", "classify-points", "--epochs", "0"], mentions: "--epochs")
        try assertOneLineFailure(["demo", "generate", "--temperatures", "0.5,abc"], mentions: "--temperatures")
        try assertOneLineFailure(["demo", "generate", "--length=-1"], mentions: "--length")
        try assertOneLineFailure(["demo", "classify-sequences", "--units", "0"], mentions: "--units")
        try assertOneLineFailure(["demo", "tag", "--spike-rate", "2"], mentions: "--spike-rate")
        try assertOneLineFailure(["demo", "seq2seq", "--horizon", "-30"], mentions: "--horizon")
        for name in ["classify-points", "generate", "classify-sequences", "tag", "seq2seq"] {
            try assertOneLineFailure(["demo", name, "--no-such-option"], mentions: "no-such-option")
        }
    }
}
