import ArgumentParser
import Foundation

/// The options of `rnn study … --sbatch FILE`: the study as a Slurm array job.
struct StudySlurmOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write a Slurm batch script (an array job of shards, then a merge) instead of running the study.",
                               valueName: "file"))
    var sbatch: String?

    @Option(help: "Array tasks, each running one shard (default: one task per trial).")
    var arraySize: Int?

    @Option(help: ArgumentHelp("Time limit of each task, [D-]HH:MM:SS (default: the partition's).", valueName: "time"))
    var time: String?

    @Option(help: "CPUs of each task; the shard's --workers and --gemm-threads are set to use them.")
    var cpusPerTask: Int = 1

    @Option(help: "Slurm partition (default: the cluster's default partition).")
    var partition: String?

    @Flag(help: "Submit the array and the merge job with sbatch and print their job ids.")
    var submit = false

    /// Refuses the cluster options without `--sbatch`.
    func checkUnused() throws {
        guard sbatch == nil else { return }
        let given = [(arraySize != nil, "--array-size"), (time != nil, "--time"), (cpusPerTask != 1, "--cpus-per-task"),
                     (partition != nil, "--partition"), (submit, "--submit")].filter(\.0).map(\.1)
        if let first = given.first { throw StudyCLIError("\(first) belongs to --sbatch FILE; add --sbatch or drop \(given.joined(separator: ", "))") }
    }

    /// Checks the values and returns the number of array tasks for a study of `trialCount` trials.
    func validated(trialCount: Int) throws -> Int {
        let tasks = arraySize ?? trialCount
        guard (1...trialCount).contains(tasks) else {
            throw StudyCLIError("--array-size must be between 1 and the study's \(trialCount) trials, got \(tasks)")
        }
        guard (1...1024).contains(cpusPerTask) else {
            throw StudyCLIError("--cpus-per-task must be between 1 and 1024, got \(cpusPerTask)")
        }
        if let time { try StudySlurmOptions.checkTime(time) }
        if let partition {
            let ok = !partition.isEmpty && partition.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { name in
                !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
            }
            guard ok else { throw StudyCLIError("--partition must be a partition name (letters, digits, _ . -; several separated by commas), got '\(partition)'") }
        }
        return tasks
    }

    /// Accepts `HH:MM:SS` or `D-HH:MM:SS` with minutes and seconds below 60 (and hours below 24 after days), not zero.
    static func checkTime(_ s: String) throws {
        let bad = StudyCLIError("--time must be HH:MM:SS or D-HH:MM:SS (e.g. 02:30:00 or 1-12:00:00), got '\(s)'")
        let dayParts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { throw bad }
        func digits(_ p: Substring) -> Bool { !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } }
        guard dayParts.allSatisfy({ !$0.isEmpty }), dayParts.count == 1 || digits(dayParts[0]) else { throw bad }
        let days = dayParts.count == 2 ? Int(dayParts[0]) : 0
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false)
        guard let days, clock.count == 3, clock.allSatisfy(digits),
              clock[1].count == 2, clock[2].count == 2,
              let h = Int(clock[0]), let m = Int(clock[1]), let sec = Int(clock[2]),
              h >= 0, (0..<60).contains(m), (0..<60).contains(sec), dayParts.count == 1 || h < 24 else { throw bad }
        guard days + h + m + sec > 0 else { throw StudyCLIError("--time must be longer than zero (Slurm reads 0 as no limit), got '\(s)'") }
    }
}
