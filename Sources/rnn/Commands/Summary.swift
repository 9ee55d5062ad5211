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
            let layers = m.layers.enumerated().map { i, layer in
                ModelSummaryJSON.Layer(index: i, type: layer.config.type, outputShape: shapes[i], parameters: layer.parameterCount,
                                       tensors: layer.parameters.map { .init(name: "layers.\(i).\($0.name)", shape: $0.value.shape) })
            }
            Console.json(ModelSummaryJSON(inputShape: m.inputShape ?? [], parameters: m.parameterCount, layers: layers,
                                          spec: ModelSpec.describe(m.layers.map(\.config))))
        } else {
            Console.out("Model: \(file.model)")
            Console.out(m.summary())
        }
    }
}
