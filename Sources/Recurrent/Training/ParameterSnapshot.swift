/// A copy of every parameter value of a model, for restoring weights (best epoch, last good
/// epoch). Copy-on-write makes taking one cheap until training changes the weights.
struct ParameterSnapshot {
    private let values: [Tensor]

    init(_ model: Sequential) {
        values = model.layers.flatMap { $0.parameters.map(\.value) }
    }

    /// Puts the saved values back into `model` (same architecture).
    func restore(into model: inout Sequential) {
        var k = 0
        model.updateParameters { _, p in
            p.value = values[k]
            k += 1
        }
        precondition(k == values.count, "parameter snapshot does not match the model")
    }
}

extension Sequential {
    /// The first parameter whose value or gradient is not finite, with its layer type.
    func firstNonFinite(inGradients: Bool) -> (name: String, layerType: String)? {
        for (i, layer) in layers.enumerated() {
            for p in layer.parameters where !(inGradients ? p.gradient : p.value).isFinite {
                return ("layers.\(i).\(p.name)", layer.config.type)
            }
        }
        return nil
    }
}
