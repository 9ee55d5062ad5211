import ArgumentParser
import Foundation
import Recurrent

/// `rnn summary`: layers, output shapes and parameter counts, as Keras' `summary()`.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a saved model's layers, output shapes and parameter counts."
    )

    @OptionGroup var file: ModelFileOption

    @OptionGroup var summary: JSONSummaryFlag

    func run() throws {
        let contents = try ModelFile.read(from: URL(fileURLWithPath: file.model))
        let m = contents.model
        if summary.json {
            let shapes = try m.layerOutputShapes()
            let layers = m.layers.enumerated().map { i, layer -> [String: Any] in
                ["index": i, "type": layer.config.type, "output_shape": shapes[i], "parameters": layer.parameterCount,
                 "tensors": layer.parameters.map { ["name": "layers.\(i).\($0.name)", "shape": $0.value.shape] as [String: Any] }]
            }
            Console.json(["input_shape": m.inputShape ?? [], "parameters": m.parameterCount, "layers": layers,
                          "spec": ModelSpec.describe(m.layers.map(\.config))] as [String: Any])
        } else {
            Console.out("Model: \(file.model)")
            Console.out(m.summary())
        }
    }
}
