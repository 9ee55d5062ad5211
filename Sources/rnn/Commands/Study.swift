import ArgumentParser

/// `rnn study`: compare sequence models with repeated seeds (`run`, the default) and join shards (`merge`).
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Compare architectures over repeated seeds against the baselines, with a ranked report.",
        discussion: """
        rnn study --data pm10.csv --target daily --preset lab --seeds 3 --out study-daily
        rnn study --data pm10.csv --target hourly --grid examples/study-grid.json --seeds 3 --shard 1/2 --out s1
        rnn study merge s1 s2 --out study-hourly
        rnn study --data pm10.csv --target daily --preset lab --out study-daily --sbatch study.sbatch --array-size 6 --cpus-per-task 4
        """,
        subcommands: [StudyRun.self, StudyMerge.self],
        defaultSubcommand: StudyRun.self
    )
}
