import ArgumentParser
import Foundation

@main
struct RNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn",
        abstract: "Recurrent neural networks and time-series forecasting: SimpleRNN, LSTM and GRU trained by BPTT.",
        discussion: """
        Start with `rnn demo` (the lab's noisy-sine exercise, end to end). Every command that \
        reports numbers takes --json and then prints one JSON object on stdout; progress and \
        logs go to stderr.
        """,
        version: "0.1.0",
        subcommands: [
            Demo.self, Train.self, Evaluate.self, ForecastCommand.self, BacktestCommand.self, Study.self, Gradients.self, Bench.self,
            Predict.self, Summary.self,
        ]
    )

    /// Every failure — a usage error such as an unknown option as much as a bad value found
    /// while running — prints one line on stderr and exits with status 1; help and version
    /// print as usual.
    static func main() {
        AllocatorTuning.apply()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data(((message.hasPrefix("Error:") ? "" : "Error: ") + message + "\n").utf8))
            Foundation.exit(1)
        }
    }
}
