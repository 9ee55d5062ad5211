import ArgumentParser
import Foundation
import Recurrent

/// Options shared by commands that report results.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object on stdout instead of text.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    @Option(help: "Progress display: auto (a bar on a terminal, lines otherwise), bar, lines, none.")
    var progress: ProgressChoice = .auto

    var progressStyle: ProgressStyle { quiet ? .none : progress.style }
}

enum ProgressChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, bar, lines, none
    var style: ProgressStyle {
        switch self {
        case .auto: return .auto
        case .bar: return .bar
        case .lines: return .lines
        case .none: return .none
        }
    }
}
