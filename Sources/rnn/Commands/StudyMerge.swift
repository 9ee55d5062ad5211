import ArgumentParser
import Foundation
import Forecast
import LabDemos

/// `rnn study merge DIR…`: joins shard folders of one study into one report.
struct StudyMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the folders of a sharded study (same study.json) into one report."
    )

    @Argument(help: "Study folders (shards).")
    var folders: [String]

    @Option(help: "Output folder for the merged report (default: the first folder).")
    var out: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard !folders.isEmpty else { throw StudyCLIError("give the study folders to merge") }
        let dirs = folders.map { StudyFolder(URL(fileURLWithPath: $0)) }
        let target = URL(fileURLWithPath: out ?? folders[0])
        try writeStudyReport(dirs, out: target, output: output, wallSeconds: nil, note: "merged \(folders.count) folder(s)")
    }
}
