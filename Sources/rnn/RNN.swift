import ArgumentParser
import Foundation
import Recurrent

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
            Predict.self, Summary.self, Export.self,
        ]
    )

    /// Every failure — a usage error such as an unknown option as much as a bad value found
    /// while running — prints one line on stderr and exits with status 1; help and version
    /// print as usual. A usage error names the unknown word, suggests the nearest command or
    /// option and points to `--help` (see `UsageHint`).
    static func main() {
        AllocatorTuning.apply()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            fail(UsageHint.message(arguments: arguments, fallback: firstLine(of: error)))
        }
        do {
            try command.run()
        } catch {
            OutputFolder.removeEmpty()
            guard exitCode(for: error) != .success else { exit(withError: error) }
            if let diverged = error as? TrainingDiverged { fail(DivergenceText.line(diverged, command: type(of: command))) }
            fail(firstLine(of: error))
        }
    }

    private static func firstLine(of error: Error) -> String {
        if let file = FileErrorText.describe(error) { return file }
        if let setting = SettingFlags.describe(error) { return setting }
        let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        return message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("Error: " + message + "\n").utf8))
        Foundation.exit(1)
    }
}
