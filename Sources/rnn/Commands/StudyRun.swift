import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn study run` (the default of `rnn study`).
struct StudyRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every architecture K times (seeds 1…K) on one chronological 70/15/15 split and rank them.",
        discussion: """
        Each finished trial is appended to DIR/trials.jsonl at once; rerunning the same command \
        skips finished trials, so an interrupted study resumes. --shard i/n runs a deterministic \
        slice (trial index ≡ i−1 mod n) for job arrays; join the folders with `rnn study merge`. \
        --sbatch FILE writes the study as a Slurm array job of shards plus a merge job instead. \
        Writes DIR/report.html, DIR/results.csv and DIR/results.md.
        """
    )

    @Option(help: "A CSV of a time column and value columns (e.g. ../shared/data/pm10/krakow-zloty-rog-pm10-1h.csv).")
    var data: String

    @Option(help: "The column to forecast (default: the first value column).")
    var column: String?

    @Option(help: "Another CSV whose columns join the data's by time stamp, for covariates (repeatable).")
    var join: [String] = []

    @Option(help: "hourly or daily (daily means of days with ≥ 18 hours).")
    var target: StudyTarget = .daily

    @Option(help: "Input steps (default: the grid's, else 14 daily / 24 hourly).")
    var lookback: Int?

    @Option(help: "Steps ahead (default: the grid's, else 1).")
    var horizon: Int?

    @Option(help: "A grid file of architectures and training settings: JSON, or YAML (.yaml/.yml).")
    var grid: String?

    @Option(help: "A built-in grid: lab.")
    var preset: String?

    @Option(help: "Seeds per architecture (1…K).")
    var seeds: Int = 3

    @Option(help: "Output folder.")
    var out: String = "rnn-output/study"

    @Option(help: "Run slice i of n (1-based), e.g. 2/4.")
    var shard: String?

    @Option(help: "Override the grid's maximum epochs.")
    var epochs: Int?

    @Option(help: "Override the grid's early-stopping patience.")
    var patience: Int?

    @Option(help: "Keep only these architectures of the grid (comma-separated names).")
    var only: String?

    @Option(help: "Trials trained at the same time (default: 2).")
    var workers: Int?

    @Option(help: "Threads for each trial's matrix products (default: 1 when workers > 1, else all cores).")
    var gemmThreads: Int?

    @OptionGroup var output: OutputOptions

    @OptionGroup(title: "Slurm") var slurm: StudySlurmOptions

    func validate() throws {
        if let w = workers, !(1...256).contains(w) { throw ValidationError("--workers must be between 1 and 256, got \(w)") }
        if let g = gemmThreads, !(1...Kernels.maxThreads).contains(g) {
            throw ValidationError("--gemm-threads must be between 1 and \(Kernels.maxThreads), got \(g)")
        }
    }

    func run() throws {
        let started = Date()
        let frequency = target
        var g: StudyGrid
        switch (grid, preset) {
        case (let file?, nil): g = try StudyGrid.read(URL(fileURLWithPath: file))
        case (nil, let p?):
            guard p == "lab" else { throw StudyCLIError("unknown --preset '\(p)' (lab)") }
            g = StudyGrid.lab(horizon: horizon ?? 1, hourly: frequency == .hourly)
        case (nil, nil): throw StudyCLIError("give --grid FILE or --preset lab")
        default: throw StudyCLIError("give either --grid or --preset, not both")
        }
        if let e = epochs { g.epochs = e }
        if let p = patience { g.patience = p }
        if let only {
            let names = only.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            for n in names where !g.architectures.contains(where: { $0.name == n }) {
                throw StudyCLIError("--only: no architecture '\(n)' in the grid (\(g.architectures.map(\.name).joined(separator: ", ")))")
            }
            g.architectures = g.architectures.filter { names.contains($0.name) }
        }
        let shardValue = try shard.map(parseShard)
        try slurm.checkUnused()
        let dataURL = URL(fileURLWithPath: data)
        // Everything about the plan is checked before the data is read or anything trains.
        var plan = StudyPlan(dataName: dataURL.lastPathComponent, frequency: frequency, column: "value", unit: "",
                             lookback: lookback ?? g.lookback ?? (frequency == .hourly ? 24 : 14),
                             horizon: horizon ?? g.horizon ?? 1, seeds: seeds, grid: g)
        try plan.validate()
        let (loaded, column, notes) = try StudyData.load(dataURL, frequency: frequency, column: self.column,
                                                         joining: join.map { URL(fileURLWithPath: $0) })
        plan.column = column
        plan.joinedData = join.isEmpty ? nil : join.map { URL(fileURLWithPath: $0).lastPathComponent }
        plan.unit = column.uppercased().hasPrefix("PM") || dataURL.lastPathComponent.lowercased().contains("pm10") ? "µg/m³" : ""
        try plan.checkColumns(available: loaded.names, gridFile: grid)
        try plan.validate()
        let series = loaded.selecting([column] + plan.extraColumns)
        notes.forEach { Console.log($0, quiet: output.quiet) }
        if slurm.sbatch != nil { return try writeSlurmScript(plan: plan) }

        var runner = StudyRunner(plan: plan, series: series, folder: StudyFolder(URL(fileURLWithPath: out)))
        runner.workers = max(1, workers ?? 2)
        runner.gemmThreads = gemmThreads ?? (runner.workers > 1 ? 1 : nil)
        runner.shard = shardValue
        runner.host = ProcessInfo.processInfo.hostName
        runner.job = StudyRun.slurmJob
        let quiet = output.quiet
        runner.log = { Console.log($0, quiet: quiet) }
        let outcome = try runner.run()
        try writeStudyReport([runner.folder], out: runner.folder.url, output: output, wallSeconds: Date().timeIntervalSince(started),
                             note: "trained \(outcome.trained) trial(s) (\(outcome.failed) failed), \(outcome.skipped) already finished")
    }

    func parseShard(_ s: String) throws -> (index: Int, count: Int) {
        let parts = s.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else {
            throw StudyCLIError("--shard must be i/n with 1 ≤ i ≤ n, e.g. 1/2; got '\(s)'")
        }
        return (i, n)
    }
}

/// Summarizes study folders, writes the report into `out` and prints the table (or JSON).
func writeStudyReport(_ folders: [StudyFolder], out: URL, output: OutputOptions, wallSeconds: Double?, note: String) throws {
    let summary = try StudyData.merge(folders)
    try StudyReport.write(summary, to: out, command: Console.commandLine, wallSeconds: wallSeconds)
    if output.json {
        Console.json([
            "trials": summary.trialCount,
            "missing": summary.missingTrials,
            "wall_seconds": wallSeconds as Any,
            "verdict": summary.verdict,
            "results": summary.rows.map { r -> [String: Any] in
                ["rank": r.rank, "method": r.name, "kind": r.kind, "spec": r.spec, "runs": r.runs,
                 "rmse_mean": r.rmse.mean, "rmse_sd": r.rmse.sd, "mae_mean": r.mae.mean, "mae_sd": r.mae.sd,
                 "r2_mean": r.r2.mean, "r2_sd": r.r2.sd, "mase_mean": r.mase.mean, "mase_sd": r.mase.sd,
                 "ensemble_rmse": r.ensembleRMSE, "dm_statistic": r.dmStatistic, "dm_p_value": r.dmPValue,
                 "parameters": r.parameters, "train_seconds": r.seconds, "epochs": r.epochs]
            },
        ] as [String: Any])
    } else {
        Console.out(summary.markdownTable)
        Console.out(summary.verdict)
        Console.out(note + (wallSeconds.map { String(format: "; wall time %.1f s", $0) } ?? "") + "; wrote \(out.path)/{report.html, results.csv, results.md}")
    }
}

/// A command-line mistake, printed as one line.
struct StudyCLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
