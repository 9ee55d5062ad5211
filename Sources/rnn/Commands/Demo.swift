import ArgumentParser

/// `rnn demo …`: the lab's worked examples, end to end on generated or shared data.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one of the lab's worked examples end to end (default: sine).",
        subcommands: [
            DemoSine.self,
            DemoUSD.self,
            DemoPM10.self,
            DemoClassifyPoints.self,
            DemoGenerate.self,
            DemoClassifySequences.self,
            DemoTag.self,
            DemoSeq2Seq.self,
            DemoAdding.self,
        ],
        defaultSubcommand: DemoSine.self
    )
}
