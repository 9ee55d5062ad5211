/// A copy of every parameter value of a model, for restoring weights (best epoch, last good
/// epoch). Copy-on-write makes taking one cheap until training changes the weights.
struct ParameterSnapshot {
    private let values: [Tensor]

    init(_ model: some ParameterContainer) {
        values = model.namedParameters.map(\.parameter.value)
    }

    /// Puts the saved values back into `model` (same architecture).
    func restore(into model: inout some ParameterContainer) {
        var k = 0
        model.updateParameters { _, p in
            p.value = values[k]
            k += 1
        }
        precondition(k == values.count, "parameter snapshot does not match the model")
    }
}
