import Foundation
import XCTest

/// The built `rnn` next to the test bundle (the shared runner finds it).
private var rnnBinary: URL { (try? CLIRunner.binary()) ?? URL(fileURLWithPath: "rnn") }

/// A temporary folder with a small hourly `datetime,PM10` file (120 days).
private func studyFixture() throws -> (dir: URL, data: URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("study-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var text = "datetime,PM10\n"
    var v = 30.0
    for d in 0..<120 {
        for h in 0..<24 {
            v = 0.8 * v + 0.2 * (30 + 10 * sin(2 * .pi * Double(d) / 7) + 5 * sin(2 * .pi * Double(h) / 24)) + Double((d * 24 + h) * 7919 % 13) / 6 - 1
            let month = d < 31 ? 1 : d < 59 ? 2 : d < 90 ? 3 : 4
            let day = d < 31 ? d + 1 : d < 59 ? d - 30 : d < 90 ? d - 58 : d - 89
            text += String(format: "2021-%02d-%02d %02d:00:00,%.3f\n", month, day, h, v)
        }
    }
    let data = dir.appendingPathComponent("pm.csv")
    try Data(text.utf8).write(to: data)
    return (dir, data)
}

/// Runs `rnn` to the end and returns the exit status and stderr.
private func runRNN(_ args: [String]) throws -> (status: Int32, stderr: String) {
    let r = try CLIRunner.run(args)
    return (r.status, r.stderr)
}

private func trialLines(_ dir: URL) -> [String] {
    guard let text = try? String(contentsOf: dir.appendingPathComponent("trials.jsonl"), encoding: .utf8) else { return [] }
    // Only complete lines: a kill may leave a partial last line, which the study ignores.
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.removeLast()
    return lines.filter { !$0.isEmpty }
}

final class StudyCLITests: XCTestCase {
    func testInterruptedStudyResumesWithoutRedoingFinishedTrials() throws {
        let (dir, data) = try studyFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = dir.appendingPathComponent("grid.json")
        // Slow enough (no early stop) that the study is still running when interrupted.
        try Data(#"{"epochs": 60, "patience": 60, "architectures": ["rnn:6,dense:1", "gru:6,dense:1", "lstm:6,dense:1"]}"#.utf8).write(to: grid)
        let out = dir.appendingPathComponent("out")
        let args = ["study", "--data", data.path, "--target", "daily", "--lookback", "7", "--grid", grid.path,
                    "--seeds", "3", "--out", out.path, "--quiet"]
        let p = Process()
        p.executableURL = rnnBinary
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while trialLines(out).isEmpty && p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(p.isRunning, "the study finished before it could be interrupted; make the trials slower")
        p.interrupt()
        p.waitUntilExit()
        let before = trialLines(out)
        XCTAssertGreaterThanOrEqual(before.count, 1)
        XCTAssertLessThan(before.count, 9)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))

        let (status, stderr) = try runRNN(args.filter { $0 != "--quiet" })
        XCTAssertEqual(status, 0, stderr)
        XCTAssertTrue(stderr.contains("\(before.count) already finished, \(9 - before.count) to train"), stderr)
        let after = trialLines(out)
        XCTAssertEqual(after.count, 9)
        XCTAssertEqual(Array(after.prefix(before.count)), before, "finished trials must be kept as they were")
        let ids = after.compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
        XCTAssertEqual(Set(ids).count, 9, "no trial may run twice")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").filter { $0.contains(",model,") }.count, 3)
    }

    func testBadGridIsReportedBeforeAnyTraining() throws {
        let (dir, data) = try studyFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, [String])] = [
            (#"{"architectures": ["lstm:8,dense:1", "gru:8,dnse:1"]}"#, ["gru:8,dnse:1", "dnse:1"]),
            (#"{"architectures": ["lstm:8,dense:1"], "epoch": 5}"#, ["unknown key 'epoch'"]),
            (#"{"architectures": [{"spec": "lstm:8,dense:1", "units": 8}]}"#, ["unknown key 'units'"]),
        ]
        for (i, (json, expected)) in cases.enumerated() {
            let grid = dir.appendingPathComponent("grid\(i).json")
            try Data(json.utf8).write(to: grid)
            let out = dir.appendingPathComponent("out\(i)")
            let (status, stderr) = try runRNN(["study", "--data", data.path, "--target", "daily", "--grid", grid.path, "--seeds", "1", "--out", out.path])
            XCTAssertEqual(status, 1, stderr)
            for e in expected { XCTAssertTrue(stderr.contains(e), "expected '\(e)' in: \(stderr)") }
            XCTAssertFalse(stderr.contains("started"), stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("trials.jsonl").path))
        }
    }

    func testShardsMergeIntoTheUnshardedTable() throws {
        let (dir, data) = try studyFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = dir.appendingPathComponent("grid.json")
        try Data(#"{"epochs": 3, "patience": 2, "architectures": ["rnn:4,dense:1", "gru:4,dense:1"]}"#.utf8).write(to: grid)
        func study(_ out: String, _ extra: [String]) throws {
            let (status, stderr) = try runRNN(["study", "--data", data.path, "--target", "daily", "--lookback", "7", "--grid", grid.path,
                                               "--seeds", "2", "--out", dir.appendingPathComponent(out).path, "--quiet"] + extra)
            XCTAssertEqual(status, 0, stderr)
        }
        try study("whole", [])
        try study("s1", ["--shard", "1/2"])
        try study("s2", ["--shard", "2/2", "--workers", "1"])
        let (status, stderr) = try runRNN(["study", "merge", dir.appendingPathComponent("s1").path, dir.appendingPathComponent("s2").path,
                                           "--out", dir.appendingPathComponent("merged").path])
        XCTAssertEqual(status, 0, stderr)
        // Every column but the training time (train_seconds_mean) must agree.
        func table(_ name: String) throws -> [[Substring]] {
            let text = try String(contentsOf: dir.appendingPathComponent("\(name)/results.csv"), encoding: .utf8)
            return text.split(separator: "\n").map { line in
                var cells = line.split(separator: ",", omittingEmptySubsequences: false)
                cells.remove(at: cells.count - 2) // train_seconds_mean, second to last
                return cells
            }
        }
        let whole = try table("whole")
        XCTAssertEqual(try table("merged"), whole)
        XCTAssertEqual(whole.count, 1 + 2 + 1 + 6) // header, architectures, their combined ensemble, baselines (with ar_diff and ets)
    }
}
