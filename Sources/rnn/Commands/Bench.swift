import ArgumentParser
import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent
import RecurrentBench

/// `rnn bench`: training and inference speed of the named configurations, the single-window
/// latency, the machine's matrix-multiply peak, and (with --sweep) the scaling sweep.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure training and inference speed (samples/s, GFLOP/s, share of the GEMM peak).",
        discussion: """
        Configurations (1 input feature, seeded synthetic windows, Adam, MSE):
          lab       the lab's model: LSTM(50, seq), Dropout(.2), LSTM(50, seq),
                    Dropout(.2), LSTM(50), Dropout(.2), Dense(1); T=60, B=32,
                    2000 windows
          lstm64    LSTM(64), Dense(1); T=48, B=64, 20000 windows
          gru128    GRU(128), Dense(1); T=96, B=128, 10000 windows
          predict1  median latency of predicting one window with the lab model
                    (200 calls), and batched inference throughput of lstm64
        Training: median of 3 epochs after a warm-up epoch. bench/compare.sh runs \
        PyTorch and Keras on the same windows (written by --export-data) and prints the \
        ratios.
        """
    )

    @Option(name: .customLong("config"), help: "Configuration to run (repeatable): lab, lstm64, gru128, predict1. Default: all.")
    var configs: [String] = []

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress lines on stderr.")
    var quiet = false

    @Option(help: "Threads for the matrix products (default: all CPUs, or RK_THREADS).")
    var threads: Int?

    @Option(help: "Timed epochs after the warm-up (the median is reported).")
    var epochs = 3

    @Option(help: "Use only this many windows per configuration (quick checks; the published figures use the defaults).")
    var windows: Int?

    @Option(help: "Write each configuration's windows as {config}_x.npy [N,T,1] and {config}_y.npy [N,1] into this folder and exit.")
    var exportData: String?

    @Flag(help: "Run the scaling sweep (epoch time against sequence length, hidden size, batch size) instead.")
    var sweep = false

    @Option(help: "Folder for the sweep's sweep.csv and sweep.svg.")
    var output = "rnn-output/bench"

    mutating func validate() throws {
        for name in configs where name != "predict1" && BenchConfiguration.named(name) == nil {
            throw ValidationError("unknown configuration '\(name)' (known: lab, lstm64, gru128, predict1)")
        }
        if let threads, !(1...Kernels.maxThreads).contains(threads) { throw ValidationError("--threads must be between 1 and \(Kernels.maxThreads), got \(threads)") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let windows, windows < 1 { throw ValidationError("--windows must be at least 1") }
    }

    /// The training configurations to run, with the --windows override applied.
    var selected: [BenchConfiguration] {
        let names = configs.isEmpty ? BenchConfiguration.all.map(\.name) : configs
        return BenchConfiguration.all.filter { names.contains($0.name) }.map { c in
            var c = c
            if let windows { c.windows = min(c.windows, windows) }
            return c
        }
    }

    var wantsLatency: Bool { configs.isEmpty || configs.contains("predict1") }

    func run() throws {
        if let threads { Kernels.threads = threads }
        let log: (String) -> Void = { [quiet] in Console.log($0, quiet: quiet) }
        if let exportData { return try export(to: URL(fileURLWithPath: exportData), log: log) }
        if sweep { return try runSweep(log: log) }

        let machine = BenchMachine.kernels
        log("kernels: \(machine.isa) (best on this CPU: \(machine.bestISA)); CPU \(machine.cpuModel) [\(machine.cpuFeatures.joined(separator: " "))]")
        log("measuring the matrix-multiply peak (\(Kernels.threads) threads, \(machine.bestISA))…")
        let peak = BenchMachine.gemmPeakGFLOPS(isa: Recurrent.Kernels.bestISA)
        var runner = BenchRunner()
        runner.timedEpochs = epochs
        runner.log = log
        var results: [BenchRunner.Result] = []
        var models: [String: Sequential] = [:]
        for config in selected {
            let (result, model) = try runner.run(config)
            results.append(result)
            models[config.name] = model
        }
        var latency: LatencyFigures?
        if wantsLatency { latency = try measureLatency(runner: runner, models: models, results: results, log: log) }
        // Measured again at the end and the better kept: another process busy during one
        // measurement made the peak 40 % low and the share of it above 100 % (issue 14).
        let peakAfter = results.isEmpty ? 0 : BenchMachine.gemmPeakGFLOPS(isa: Recurrent.Kernels.bestISA)
        if !results.isEmpty { log("matrix-multiply peak: \(String(format: "%.1f", peak)) GFLOP/s before, \(String(format: "%.1f", peakAfter)) after; the higher is used") }
        let report = BenchReport(results: results, latency: latency, gemmPeakGFLOPS: max(peak, peakAfter), threads: Kernels.threads,
                                 machine: machine)
        if json { Console.json(report.jsonObject) } else { Console.out(report.text) }
    }

    /// predict1: one window of the lab model (median of `latencyCalls`), and lstm64's batched inference.
    func measureLatency(runner: BenchRunner, models: [String: Sequential], results: [BenchRunner.Result],
                        log: (String) -> Void) throws -> LatencyFigures {
        var lab = BenchConfiguration.lab
        lab.windows = 1
        var model: Sequential
        if let trained = models["lab"] { model = trained } else {
            model = try lab.model()
            try model.build(inputShape: [lab.lookback, 1], seed: 0)
        }
        let window = BenchData.windows(for: lab).x
        let ms = try runner.singleWindowLatencyMilliseconds(model, window: window)
        log("predict1: \(String(format: "%.4f", ms)) ms per window (median of \(runner.latencyCalls))")
        var batched = results.first { $0.config.name == "lstm64" }?.inferSamplesPerSecond
        if batched == nil {
            var c = BenchConfiguration.lstm64
            if let windows { c.windows = min(c.windows, windows) }
            var m = try c.model()
            try m.build(inputShape: [c.lookback, 1], seed: 0)
            let x = BenchData.windows(for: c).x
            _ = try m.predict(x, batchSize: runner.inferenceBatch)
            let seconds = try BenchMachine.time { _ = try m.predict(x, batchSize: runner.inferenceBatch) }
            batched = Double(c.windows) / seconds
        }
        return LatencyFigures(milliseconds: ms, calls: runner.latencyCalls, batchedSamplesPerSecond: batched ?? 0,
                              inferenceBatch: runner.inferenceBatch)
    }

    func export(to folder: URL, log: (String) -> Void) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for config in selected {
            let (x, y) = BenchData.windows(for: config)
            try NPY.write(x, to: folder.appendingPathComponent("\(config.name)_x.npy"))
            try NPY.write(y, to: folder.appendingPathComponent("\(config.name)_y.npy"))
            log("wrote \(config.name): x \(x.shape), y \(y.shape)")
        }
        if json {
            Console.json(["folder": folder.path, "configs": selected.map { ["name": $0.name, "windows": $0.windows, "lookback": $0.lookback,
                                                                              "batch": $0.batchSize, "spec": $0.spec] as [String: Any] }])
        }
    }

    func runSweep(log: @escaping (String) -> Void) throws {
        var s = BenchSweep()
        s.timedEpochs = epochs
        s.log = log
        let points = try s.run()
        let fits = BenchSweep.fits(points)
        let folder = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeAtomically(BenchSweep.csv(points), to: folder.appendingPathComponent("sweep.csv"))
        try writeAtomically(BenchSweepChart.svg(points: points, sweep: s), to: folder.appendingPathComponent("sweep.svg"))
        if json {
            Console.json(["csv": folder.appendingPathComponent("sweep.csv").path, "svg": folder.appendingPathComponent("sweep.svg").path,
                          "points": points.map { ["axis": $0.axis.rawValue, "value": $0.value, "epoch_seconds": $0.epochSeconds,
                                                  "samples_per_s": $0.samplesPerSecond] as [String: Any] },
                          "fits": Dictionary(uniqueKeysWithValues: fits.map { ($0.axis.rawValue, ["slope_seconds_per_unit": $0.slope, "intercept_seconds": $0.intercept,
                                                                                                   "r_squared": $0.rSquared, "exponent": $0.exponent]) })] as [String: Any])
        } else {
            Console.out(BenchSweepChart.text(points: points, fits: fits, sweep: s))
            Console.out("wrote \(folder.appendingPathComponent("sweep.csv").path) and sweep.svg")
        }
    }
}
