import ArgumentParser
import Foundation
import Forecast
import LabDemos
import Recurrent

/// `rnn predict`: runs a saved model on an array.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a saved model on an array [batch, time, features] (.npy or .csv) and write what its last layer returns.",
        discussion: """
        Input and output are NumPy .npy (float32/float64, C order) or CSV (a 2-D CSV is read as \
        [rows, columns] and, for a recurrent model, as ONE sequence [1, rows, columns]). \
        The output format follows the extension of --output.

        A forecasting model (written by rnn train or rnn demo) stores how its data was \
        prepared: predict then takes the input columns in ORIGINAL units (target first, then \
        --features), scales them with the stored scalings, and writes the output in the \
        target's original units, saying so on stderr. A model that predicts a change \
        (--transform) or takes calendar inputs cannot be prepared from a bare array and is \
        refused: use rnn forecast with the dated data. --raw skips the preparation (the array \
        is already scaled; the output stays scaled).
        """
    )

    @OptionGroup var file: ModelFileOption

    @Option(help: "Input array: .npy [batch, time, features] or .csv.")
    var input: String

    @Option(help: "Where to write the output (.npy or .csv).")
    var output: String

    @Option(help: "Inference batch size.")
    var batchSize = 1024

    @OptionGroup var summary: JSONSummaryFlag

    @Flag(help: "A forecasting model's input is already scaled: skip its stored preparation and write the scaled output.")
    var raw = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        for (name, path) in [("--output", output)] where !(path.hasSuffix(".npy") || path.hasSuffix(".csv")) {
            throw ValidationError("\(name) must end in .npy or .csv, got '\(path)'")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file.model)
        let contents = try ModelFile.read(from: url)
        let loaded = contents.model
        var preparation: ArrayPreparation?
        if contents.metadata[ForecastModelFile.metadataKey] != nil && !raw {
            let stored = try ForecastModelFile.load(from: url)
            preparation = try ArrayPreparation(setup: stored.setup, scalings: stored.scalings)
        }
        var x = try ArrayFiles.read(input)
        if let shape = loaded.inputShape, x.rank == shape.count, shape.count == 2 {
            x = x.reshaped([1] + x.shape)  // a 2-D CSV is one sequence
        }
        let start = Date()
        if let preparation { x = try preparation.scaleInputs(x) }
        var y = try loaded.predict(x, batchSize: batchSize)
        if let preparation {
            y = preparation.unscaleOutputs(y)
            Console.log("Forecasting model: " + preparation.summary + " (--raw skips this).")
        }
        let seconds = Date().timeIntervalSince(start)
        try ArrayFiles.write(y, to: output)
        if summary.json {
            Console.json(PredictionJSON(inputShape: x.shape, outputShape: y.shape, outputPath: output, seconds: JSONNumber(seconds),
                                        prepared: preparation != nil))
        } else {
            Console.out("wrote \(output): shape \(y.shape) (input \(x.shape), \(String(format: "%.3f", seconds)) s)")
        }
    }
}

/// Arrays in and out of the CLI: .npy, or CSV for 1-D/2-D data.
enum ArrayFiles {
    static func read(_ path: String) throws -> Tensor {
        let url = URL(fileURLWithPath: path)
        if path.hasSuffix(".csv") { return try CSVArray.read(from: url).values }
        return try NPY.read(from: url)
    }

    static func write(_ t: Tensor, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        if path.hasSuffix(".csv") {
            let flat = t.rank <= 2 ? t : t.reshaped([t.shape[0], t.count / max(t.shape[0], 1)])
            try CSVArray.write(flat, to: url)
        } else {
            try NPY.write(t, to: url)
        }
    }
}
