import ArgumentParser

/// `--model FILE`: the saved model a command reads (summary, predict, export, evaluate, forecast).
struct ModelFileOption: ParsableArguments {
    @Option(help: "Model file (.safetensors) written by rnn (train, demo) or Sequential.save; evaluate and forecast need one with a forecasting set-up (rnn train, rnn demo).")
    var model: String
}

/// `--out DIR`: the results folder of train, backtest, evaluate and forecast.
struct ResultsFolderOption: ParsableArguments {
    @Option(help: "Output folder.")
    var out: String
}

/// `--json` of the commands that print a one-object summary (summary, predict, export).
struct JSONSummaryFlag: ParsableArguments {
    @Flag(help: "Print a JSON summary on stdout.")
    var json = false
}
