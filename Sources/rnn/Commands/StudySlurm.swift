import Charts
import Foundation
import Forecast
import LabDemos

/// `rnn study … --sbatch FILE`: writes the study as a Slurm array job and prints (or runs) the submission.
extension StudyRun {
    /// Writes the batch script for `plan`, then prints the `sbatch` lines or, with `--submit`, submits.
    func writeSlurmScript(plan: StudyPlan) throws {
        guard shard == nil else { throw StudyCLIError("--sbatch makes the shards itself; drop --shard") }
        guard gemmThreads == nil, workers == nil else {
            throw StudyCLIError("--sbatch sets --workers and --gemm-threads from --cpus-per-task; drop them")
        }
        let trials = plan.trials.count
        let tasks = try slurm.validated(trialCount: trials)
        let outPath = absolutePath(out)
        guard outPath.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_./:=,+@-".contains($0)) }) else {
            throw StudyCLIError("--out '\(outPath)': a study run by Slurm needs a folder path of letters, digits and _ . / : = , + @ - only (Slurm reads it in #SBATCH lines)")
        }
        let perTask = (trials + tasks - 1) / tasks
        let workers = min(slurm.cpusPerTask, perTask)
        let script = StudySlurmScript(
            scriptPath: absolutePath(slurm.sbatch!), binary: try StudyRun.executablePath(), out: outPath,
            studyArguments: try forwardedArguments(), tasks: tasks, cpusPerTask: slurm.cpusPerTask,
            workers: workers, gemmThreads: max(1, slurm.cpusPerTask / workers), time: slurm.time, partition: slurm.partition,
            jobName: "rnn-" + String(URL(fileURLWithPath: outPath).lastPathComponent.prefix(40)), generatedBy: Console.commandLine.replacingOccurrences(of: "\n", with: " "))

        // Slurm does not create the folder of --output; the shards' folders the study makes itself.
        try FileManager.default.createDirectory(atPath: outPath + "/logs", withIntermediateDirectories: true)
        let scriptURL = URL(fileURLWithPath: script.scriptPath)
        try FileManager.default.createDirectory(at: scriptURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try writeAtomically(script.text, to: scriptURL)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptURL.path)
        let summary = "\(trials) trials in \(tasks) array task(s) of \(slurm.cpusPerTask) CPU(s), \(workers) worker(s) × \(max(1, slurm.cpusPerTask / workers)) GEMM thread(s) each"

        guard slurm.submit else {
            if output.json {
                Console.json(["script": script.scriptPath, "tasks": tasks, "submit": script.submitCommands] as [String: Any])
            } else {
                Console.out("wrote \(script.scriptPath): \(summary); submit with:")
                script.submitCommands.forEach { Console.out("  " + $0) }
            }
            return
        }
        let arrayJob = try Sbatch.submit(script.arraySubmission)
        let mergeJob = try Sbatch.submit(script.mergeSubmission(after: arrayJob))
        if output.json {
            Console.json(["script": script.scriptPath, "tasks": tasks, "array_job": arrayJob, "merge_job": mergeJob] as [String: Any])
        } else {
            Console.out("wrote \(script.scriptPath): \(summary)")
            Console.out("submitted array job \(arrayJob) (tasks 1-\(tasks)) and merge job \(mergeJob) (starts when every task succeeded)")
            Console.out("watch: squeue -j \(arrayJob),\(mergeJob); logs: \(outPath)/logs; results: \(outPath)/report.html")
        }
    }

    /// The study's own arguments for every shard, paths made absolute. Any option this list
    /// does not know stops the command, so a new study option cannot be dropped silently.
    func forwardedArguments() throws -> [String] {
        let handled: Set<String> = ["data", "column", "join", "target", "lookback", "horizon", "grid", "preset", "seeds", "epochs", "patience", "only",
                                    "out", "shard", "workers", "gemmThreads", "output", "slurm"]
        for child in Mirror(reflecting: self).children {
            guard let label = child.label.map({ $0.hasPrefix("_") ? String($0.dropFirst()) : $0 }) else { continue }
            guard handled.contains(label) else {
                throw StudyCLIError("--sbatch does not pass the study option '\(label)' on to the shards yet; run without it or extend StudyRun.forwardedArguments")
            }
        }
        var args = ["study", "--data", absolutePath(data), "--target", target.rawValue, "--seeds", String(seeds)]
        if let column { args += ["--column", column] }
        for file in join { args += ["--join", absolutePath(file)] }
        if let lookback { args += ["--lookback", String(lookback)] }
        if let horizon { args += ["--horizon", String(horizon)] }
        if let grid { args += ["--grid", absolutePath(grid)] }
        if let preset { args += ["--preset", preset] }
        if let epochs { args += ["--epochs", String(epochs)] }
        if let patience { args += ["--patience", String(patience)] }
        if let only { args += ["--only", only] }
        return args
    }

    /// The running `rnn`, so every task uses the same binary.
    static func executablePath() throws -> String {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), link.hasPrefix("/") { return link }
        if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).standardizedFileURL.path }
        throw StudyCLIError("cannot tell where the rnn binary is; run it by its full path")
    }

    /// The Slurm job this process runs in, as `job_task` for an array task.
    static var slurmJob: String? {
        let env = ProcessInfo.processInfo.environment
        if let job = env["SLURM_ARRAY_JOB_ID"], let task = env["SLURM_ARRAY_TASK_ID"] { return "\(job)_\(task)" }
        return env["SLURM_JOB_ID"]
    }
}

/// `path` made absolute against the current folder, with `.` and `..` resolved.
func absolutePath(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

/// Runs `sbatch`.
enum Sbatch {
    /// Submits with `arguments` (which include `--parsable`) and returns the job id.
    static func submit(_ arguments: [String]) throws -> String {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let sbatch = paths.map({ $0 + "/sbatch" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw StudyCLIError("--submit: sbatch is not on PATH (is this a Slurm login node?); submit with the lines printed without --submit")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // --parsable prints `jobid` or `jobid;cluster`.
        let id = stdout.split(whereSeparator: { $0 == ";" || $0.isNewline }).first.map(String.init) ?? ""
        guard process.terminationStatus == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let reason = stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw StudyCLIError("sbatch \(arguments.last ?? ""): \(reason)")
        }
        return id
    }
}
