import Foundation

/// The text of a Slurm batch script that runs a study as an array job: task k of n trains
/// shard k/n into `OUT/shards/k`; the same script with the argument `merge`, submitted as
/// a job that waits for every task (`afterok`), joins the shards into `OUT`.
struct StudySlurmScript {
    /// Absolute paths of the script, the `rnn` binary and the study folder.
    var scriptPath: String
    var binary: String
    var out: String
    /// `study …` arguments shared by every shard (absolute paths, no --out/--shard/--workers).
    var studyArguments: [String]
    var tasks: Int
    var cpusPerTask: Int
    var workers: Int
    var gemmThreads: Int
    var time: String?
    var partition: String?
    var jobName: String
    /// The command that wrote the script, for its header.
    var generatedBy: String

    var shardFolders: [String] { (1...tasks).map { "\(out)/shards/\($0)" } }

    /// `sbatch` arguments of the array job (the directives are in the script).
    var arraySubmission: [String] { ["--parsable", scriptPath] }

    /// `sbatch` arguments of the merge job, after array job `arrayJob`.
    func mergeSubmission(after arrayJob: String) -> [String] {
        var args = ["--parsable", "--dependency=afterok:\(arrayJob)", "--job-name=\(jobName)-merge", "--cpus-per-task=1",
                    "--chdir=\(out)", "--output=\(out)/logs/merge-%j.out"]
        if let time { args.append("--time=\(time)") }
        if let partition { args.append("--partition=\(partition)") }
        args.append("--wrap=bash \(shellQuoted(scriptPath)) merge")
        return args
    }

    /// The two shell lines that submit the study by hand.
    var submitCommands: [String] {
        ["jid=$(sbatch " + arraySubmission.map(shellQuoted).joined(separator: " ") + ")",
         "sbatch " + mergeSubmission(after: "${jid%%;*}").map { $0.hasPrefix("--dependency=") ? $0 : shellQuoted($0) }.joined(separator: " ")]
    }

    var text: String {
        let q = shellQuoted
        var lines = [
            "#!/bin/bash",
            "# The architecture study as a Slurm array job. Task k of \(tasks) trains shard k/\(tasks) into",
            "# \(out)/shards/k; a merge job started after every task succeeded joins them into",
            "# \(out) (report.html, results.csv, results.md, trials.csv).",
            "# Written by: \(generatedBy)",
            "#",
            "# Submit (or rerun the command above with --submit):",
        ]
        lines += submitCommands.map { "#   " + $0 }
        lines += [
            "# After a failure or a cancelled task, submit the same two lines again: every shard keeps",
            "# its finished trials (shards/k/trials.jsonl) and trains only the rest. A merge job whose",
            "# array failed never starts; cancel it (scancel) if it stays pending.",
            "#SBATCH --job-name=\(jobName)",
            "#SBATCH --array=1-\(tasks)",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=\(cpusPerTask)",
        ]
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        lines += [
            "#SBATCH --chdir=\(out)",
            "#SBATCH --output=\(out)/logs/shard-%a-job%A.out",
            "set -euo pipefail",
            "# On a cluster with environment modules, load what rnn needs here (e.g. module load swift).",
            "rnn=\(q(binary))",
            "if [ \"${1:-}\" = merge ]; then",
            "    exec \"$rnn\" study merge " + shardFolders.map(q).joined(separator: " ") + " --out \(q(out))",
            "fi",
            "task=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch (it is an array job), or run it with the argument merge}",
            "echo \"shard $task/\(tasks) on $(hostname), job ${SLURM_ARRAY_JOB_ID:-?}_$task, $(date -u +%Y-%m-%dT%H:%M:%SZ)\"",
            "exec \"$rnn\" " + studyArguments.map(q).joined(separator: " ")
                + " --shard \"$task/\(tasks)\" --out \(q(out + "/shards/"))\"$task\" --workers \(workers) --gemm-threads \(gemmThreads)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `s` as one shell word: unchanged when it holds only safe characters, else in single quotes.
func shellQuoted(_ s: String) -> String {
    let safe = !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:=,+@%-".contains($0)) }
    return safe ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
