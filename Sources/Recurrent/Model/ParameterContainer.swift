/// Anything that owns named, trainable parameters: what gradient clipping, weight
/// penalties and optimizers act on. `Sequential` and `EncoderDecoder` conform.
public protocol ParameterContainer {
    /// Every parameter with its qualified name, in a stable order.
    var namedParameters: [(name: String, parameter: Parameter)] { get }
    /// Visits every parameter in place with its qualified name.
    mutating func updateParameters(_ body: (String, inout Parameter) throws -> Void) rethrows
}

extension Sequential: ParameterContainer {}
extension EncoderDecoder: ParameterContainer {}
