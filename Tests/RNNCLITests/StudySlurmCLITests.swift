import Foundation
import XCTest

/// `rnn study … --sbatch FILE`: the batch script's content, its validation, and the script
/// itself run task by task (as Slurm would, without Slurm) against an unsharded run.
final class StudySlurmCLITests: XCTestCase {
    /// A folder with a small hourly `datetime,PM10` file (90 days) and a 2 × 2-trial grid.
    private func fixture() throws -> URL {
        let dir = try CLIRunner.tempDir(for: self)
        var text = "datetime,PM10\n"
        var v = 30.0
        let start = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2021, month: 1, day: 1).date!
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:00:00"
        format.timeZone = TimeZone(identifier: "UTC")
        for t in 0..<(90 * 24) {
            v = 0.8 * v + 0.2 * (30 + 10 * sin(2 * .pi * Double(t / 24) / 7)) + Double(t * 7919 % 13) / 6 - 1
            text += "\(format.string(from: start.addingTimeInterval(Double(t) * 3600))),\(String(format: "%.3f", v))\n"
        }
        try Data(text.utf8).write(to: dir.appendingPathComponent("pm.csv"))
        try Data(#"{"epochs": 3, "patience": 2, "architectures": ["rnn:4,dense:1", "gru:4,dense:1"]}"#.utf8)
            .write(to: dir.appendingPathComponent("grid.json"))
        return dir
    }

    private let study = ["study", "--data", "pm.csv", "--target", "daily", "--lookback", "7", "--grid", "grid.json", "--seeds", "2"]

    /// Runs a program in `dir` with extra environment variables; returns status, stdout, stderr.
    private func run(_ executable: URL, _ args: [String], in dir: URL, environment: [String: String] = [:]) throws -> CLIRunner.Output {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outURL = dir.appendingPathComponent(".out-\(UUID().uuidString)"), errURL = dir.appendingPathComponent(".err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        try out.close(); try err.close()
        return CLIRunner.Output(status: p.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                                stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    func testScriptHasTheArrayTheMergeAndAbsolutePaths() throws {
        let dir = try fixture()
        let binary = try CLIRunner.binary().resolvingSymlinksInPath().path
        let r = try CLIRunner.run(study + ["--out", "study", "--sbatch", "jobs/study.sbatch", "--array-size", "2",
                                           "--cpus-per-task", "4", "--time", "1-01:30:00", "--partition", "short"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let d = dir.resolvingSymlinksInPath().path
        let script = try String(contentsOfFile: "\(d)/jobs/study.sbatch", encoding: .utf8)
        for line in ["#!/bin/bash", "#SBATCH --array=1-2", "#SBATCH --cpus-per-task=4", "#SBATCH --time=1-01:30:00",
                     "#SBATCH --partition=short", "#SBATCH --chdir=\(d)/study", "#SBATCH --output=\(d)/study/logs/shard-%a-job%A.out",
                     "rnn=\(binary)"] {
            XCTAssertTrue(script.split(separator: "\n").contains(Substring(line)), "missing line '\(line)' in:\n\(script)")
        }
        // 4 trials in 2 tasks of 4 CPUs: 2 trials at a time, 2 GEMM threads each.
        XCTAssertTrue(script.contains("study --data \(d)/pm.csv --target daily --seeds 2 --lookback 7 --grid \(d)/grid.json --shard \"$task/2\" --out \(d)/study/shards/\"$task\" --workers 2 --gemm-threads 2"), script)
        XCTAssertTrue(script.contains("study merge \(d)/study/shards/1 \(d)/study/shards/2 --out \(d)/study"), script)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(d)/study/logs"), "Slurm needs the log folder to exist")
        // The printed submission: the array, then the merge after it.
        XCTAssertTrue(r.stdout.contains("jid=$(sbatch --parsable \(d)/jobs/study.sbatch)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("sbatch --parsable --dependency=afterok:${jid%%;*} --job-name=rnn-study-merge"), r.stdout)
        XCTAssertTrue(r.stdout.contains("--time=1-01:30:00 --partition=short '--wrap=bash \(d)/jobs/study.sbatch merge'"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(d)/study/trials.jsonl"), "--sbatch must not train")
    }

    /// Each array task as Slurm would start it, then the merge: the result equals an unsharded
    /// run, every trial names its host, shard, job and time, and a rerun task trains nothing.
    func testScriptTasksAndMergeGiveTheUnshardedTable() throws {
        let dir = try fixture()
        XCTAssertEqual(try CLIRunner.run(study + ["--out", "whole", "--quiet"], in: dir).status, 0)
        let g = try CLIRunner.run(study + ["--out", "arr", "--sbatch", "arr.sbatch", "--array-size", "3"], in: dir)
        XCTAssertEqual(g.status, 0, g.stderr)
        let bash = URL(fileURLWithPath: "/bin/bash")
        for k in 1...3 {
            let t = try run(bash, ["arr.sbatch"], in: dir, environment: ["SLURM_ARRAY_TASK_ID": "\(k)", "SLURM_ARRAY_JOB_ID": "77"])
            XCTAssertEqual(t.status, 0, t.stderr)
            XCTAssertTrue(t.stdout.contains("shard \(k)/3 on "), t.stdout)
        }
        let m = try run(bash, ["arr.sbatch", "merge"], in: dir)
        XCTAssertEqual(m.status, 0, m.stderr)

        func table(_ name: String) throws -> [[Substring]] {
            try String(contentsOf: dir.appendingPathComponent("\(name)/results.csv"), encoding: .utf8).split(separator: "\n").map { line in
                var cells = line.split(separator: ",", omittingEmptySubsequences: false)
                cells.remove(at: cells.count - 2) // train_seconds_mean
                return cells
            }
        }
        XCTAssertEqual(try table("arr"), try table("whole"))

        let host = ProcessInfo.processInfo.hostName
        let trials = try String(contentsOf: dir.appendingPathComponent("arr/trials.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertEqual(trials.count, 4)
        for line in trials {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let trialSeconds = try XCTUnwrap(Double(c[9]), String(line))
            XCTAssertGreaterThanOrEqual(trialSeconds, try XCTUnwrap(Double(c[8])), "a trial takes at least its training time")
            XCTAssertEqual(c[12], "77_" + c[10].prefix(1), String(line))
            XCTAssertTrue(["1/3", "2/3", "3/3"].contains(c[10]), String(line))
            XCTAssertEqual(c[11], host)
        }
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("arr/shards/1/trials.jsonl"))
            .split(separator: UInt8(ascii: "\n"))[0]) as? [String: Any]
        XCTAssertEqual(record?["host"] as? String, host)
        XCTAssertEqual(record?["shard"] as? String, "1/3")
        let md = try String(contentsOf: dir.appendingPathComponent("arr/results.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("| 1/3 | \(host) | 77_1 | 2 |"), md)
        XCTAssertTrue(md.contains("| 3/3 | \(host) | 77_3 | 1 |"), md)

        let again = try run(bash, ["arr.sbatch"], in: dir, environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_JOB_ID": "78"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("2 already finished, 0 to train"), again.stderr)
    }

    func testBadClusterOptionsAreOneLineErrorsAndWriteNothing() throws {
        let dir = try fixture()
        let cases: [([String], String)] = [
            (["--array-size", "0"], "--array-size must be between 1 and the study's 4 trials, got 0"),
            (["--array-size", "5"], "got 5"),
            (["--time", "1:60:00"], "--time must be HH:MM:SS or D-HH:MM:SS"),
            (["--time", "90"], "got '90'"),
            (["--time", "2-24:00:00"], "got '2-24:00:00'"),
            (["--time=-1:00:00"], "--time must be"),
            (["--time", "00:00:00"], "longer than zero"),
            (["--cpus-per-task", "0"], "--cpus-per-task must be between 1 and 1024"),
            (["--partition", "a b"], "--partition must be a partition name"),
            (["--shard", "1/2"], "--sbatch makes the shards itself"),
            (["--workers", "2"], "--sbatch sets --workers and --gemm-threads"),
        ]
        for (extra, message) in cases {
            let r = try CLIRunner.run(study + ["--out", "s", "--sbatch", "s.sbatch"] + extra, in: dir)
            assertCleanFailure(r, mentions: message)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sbatch").path), "\(extra)")
        }
        assertCleanFailure(try CLIRunner.run(study + ["--out", "s", "--array-size", "2"], in: dir), mentions: "--array-size belongs to --sbatch FILE")
        assertCleanFailure(try CLIRunner.run(study + ["--out", "s", "--submit"], in: dir), mentions: "--submit belongs to --sbatch FILE")
        assertCleanFailure(try CLIRunner.run(study + ["--out", "with space", "--sbatch", "s.sbatch"], in: dir), mentions: "a study run by Slurm needs a folder path")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s").path), "a refused command must not start the study")
    }

    func testSubmitWithoutSbatchSaysSo() throws {
        let dir = try fixture()
        let empty = dir.appendingPathComponent("empty-bin")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let r = try run(try CLIRunner.binary(), study + ["--out", "s", "--sbatch", "s.sbatch", "--submit"], in: dir, environment: ["PATH": empty.path])
        assertCleanFailure(r, mentions: "sbatch is not on PATH")
    }
}
