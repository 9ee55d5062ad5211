import Foundation
import XCTest

/// `rnn … --help` of every command and subcommand against the committed text in
/// `Tests/help-snapshots/` (one file per command: `rnn.txt`, `rnn-train.txt`, `rnn-study-run.txt`, …).
///
/// Commands are found by walking the SUBCOMMANDS sections from `rnn --help`, so a new command
/// without a snapshot fails too, and so does a snapshot whose command is gone. Help is rendered at
/// 80 columns (`COLUMNS=80`) so the text does not depend on the terminal.
///
/// After an intended change of options or help text, re-record every snapshot and review the diff:
///
///     RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests
final class HelpSnapshotTests: XCTestCase {
    static var snapshotFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("help-snapshots")
    }

    static var isRecording: Bool {
        ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"]?.lowercased() ?? "")
    }

    /// `rnn <path> --help` at a fixed width; fails the test on a non-zero exit or any stderr.
    func help(_ path: [String]) throws -> String {
        let r = try CLIRunner.run(path + ["--help"], environment: ["COLUMNS": "80", "LINES": "25"])
        let command = (["rnn"] + path).joined(separator: " ")
        XCTAssertEqual(r.status, 0, "\(command) --help exited \(r.status): \(r.stderr)")
        XCTAssertEqual(r.stderr, "", "\(command) --help wrote to stderr")
        return r.stdout
    }

    /// The names listed under `SUBCOMMANDS:` (`run (default)` → `run`).
    static func subcommands(in help: String) -> [String] {
        var names: [String] = [], inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSection = true; continue }
            guard inSection else { continue }
            if !line.isEmpty && !line.hasPrefix(" ") { break }  // the next section
            // A command line starts with exactly two spaces; wrapped abstracts are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            // Command names are lowercase (this skips the closing "See 'rnn help …'" line).
            let name = line.dropFirst(2).prefix { !$0.isWhitespace }
            if !name.isEmpty, name.allSatisfy({ ("a"..."z").contains($0) || $0.isNumber || $0 == "-" }) { names.append(String(name)) }
        }
        return names
    }

    /// Every command path reachable from `rnn --help`, root first, with its help text. Each
    /// help must show its own usage line, so a misread name cannot send the walk astray.
    func commandTree() throws -> [(path: [String], help: String)] {
        var found: [(path: [String], help: String)] = [], queue: [[String]] = [[]]
        while let path = queue.first {
            queue.removeFirst()
            let text = try help(path)
            let usage = "USAGE: " + (["rnn"] + path).joined(separator: " ")
            guard text.contains(usage), path.count <= 3, found.count < 100 else {
                XCTFail("rnn \(path.joined(separator: " ")) --help does not show '\(usage)': the SUBCOMMANDS walk misread a name")
                continue
            }
            found.append((path, text))
            queue += Self.subcommands(in: text).map { path + [$0] }
        }
        return found
    }

    static func fileName(_ path: [String]) -> String { (["rnn"] + path).joined(separator: "-") + ".txt" }

    func testHelpOfEveryCommandMatchesItsSnapshot() throws {
        let tree = try commandTree()
        let paths = Set(tree.map { $0.path.joined(separator: " ") })
        // The walk itself must work, or the test would compare nothing.
        for expected in ["", "train", "study run", "study merge", "demo sine", "export"] {
            XCTAssertTrue(paths.contains(expected), "the SUBCOMMANDS walk did not find 'rnn \(expected)' (found: \(paths.sorted()))")
        }
        let folder = Self.snapshotFolder
        if Self.isRecording { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        var problems: [String] = []
        for (path, text) in tree {
            let url = folder.appendingPathComponent(Self.fileName(path))
            let command = (["rnn"] + path + ["--help"]).joined(separator: " ")
            if Self.isRecording {
                try Data(text.utf8).write(to: url, options: .atomic)
                continue
            }
            guard let snapshot = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("\(command): no snapshot \(url.lastPathComponent) (record with RECORD_SNAPSHOTS=1)")
                continue
            }
            if snapshot != text {
                problems.append("\(command) differs from \(url.lastPathComponent):\n\(LineDiff.describe(expected: snapshot, actual: text))")
            }
        }
        let wanted = Set(tree.map { Self.fileName($0.path) })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for stale in present.filter({ $0.hasSuffix(".txt") && !wanted.contains($0) }).sorted() {
            if Self.isRecording {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(stale))
            } else {
                problems.append("\(stale): a snapshot for a command that no longer exists (re-record with RECORD_SNAPSHOTS=1)")
            }
        }
        if Self.isRecording { print("recorded \(tree.count) help snapshots in \(folder.path)") }
        XCTAssertTrue(problems.isEmpty, "\(problems.count) help snapshot(s) out of date; after an intended change run "
                      + "`RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` and review the diff.\n"
                      + problems.joined(separator: "\n\n"))
    }

    /// The comparison itself: a changed line shows as −/+ with its line number.
    func testLineDiffShowsChangedLines() {
        let d = LineDiff.describe(expected: "a\nb\nc\nd\n", actual: "a\nB\nc\nd\ne\n")
        XCTAssertTrue(d.contains("-2: b\n+2: B"), d)
        XCTAssertTrue(d.contains("+5: e"), d)
        XCTAssertFalse(d.contains("c"), d)
        XCTAssertEqual(HelpSnapshotTests.subcommands(in: "USAGE: x\n\nSUBCOMMANDS:\n  run (default)           Train\n                          every one.\n  merge                   Join.\n\n  See 'rnn help'.\n"),
                       ["run", "merge"])
    }
}

/// A line diff (longest common subsequence) for snapshot failures: removed lines as
/// `-N: text` (N in the expected text), added lines as `+N: text` (N in the actual text).
enum LineDiff {
    static func describe(expected: String, actual: String, limit: Int = 40) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // common[i][j]: length of the longest common subsequence of a[i...] and b[j...].
        var common = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var lines: [String] = [], i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { i += 1; j += 1 }
            else if i < a.count, j == b.count || common[i + 1][j] >= common[i][j + 1] { lines.append("-\(i + 1): \(a[i])"); i += 1 }
            else { lines.append("+\(j + 1): \(b[j])"); j += 1 }
        }
        let shown = lines.prefix(limit).joined(separator: "\n")
        return lines.count > limit ? shown + "\n… \(lines.count - limit) more changed lines" : shown
    }
}
