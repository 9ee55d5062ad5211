import ArgumentParser

@main
struct RNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn",
        abstract: "Recurrent neural networks and time-series forecasting: SimpleRNN, LSTM and GRU trained by BPTT.",
        discussion: """
        Start with `rnn demo` (the lab's noisy-sine exercise, end to end). Every command that
        reports numbers takes --json and then prints one JSON object on stdout; progress and
        logs go to stderr.
        """,
        version: "0.1.0",
        subcommands: [Demo.self, Predict.self, Summary.self, Bench.self]
    )
}
