import XCTest
@testable import Recurrent

/// `Sequential.infer` keeps the hidden sequence time-major from one recurrent layer to the
/// next; what it returns must be what calling each layer's `infer` in turn returns, to the bit.
final class StackedInferenceTests: XCTestCase {
    private func layerByLayer(_ model: Sequential, _ x: Tensor) -> Tensor {
        model.layers.reduce(x) { $1.infer($0) }
    }

    func testStacksMatchLayerByLayer() throws {
        let specs = [
            "lstm:8:seq,dropout:0.3,gru:6:seq,dropout:0.1,rnn:5,dense:1",
            "gru:7:seq,lstm:4:seq",                 // ends on a sequence
            "lstm:5:seq,dense:3",                   // sequence into a dense layer
            "conv1d:4:3,lstm:6:seq,lstm:3,dense:2", // a non-recurrent layer first
            "bilstm:4:seq,lstm:3",                  // Bidirectional is not chained
        ]
        for (n, spec) in specs.enumerated() {
            var model = try ModelSpec.model(spec)
            try model.build(inputShape: [9, 2], seed: UInt64(n))
            for batch in [1, 3, 70] {
                let x = randomTensor([batch, 9, 2], seed: 80 + UInt64(n * 10 + batch))
                XCTAssertEqual(model.infer(x), layerByLayer(model, x), "\(spec), batch \(batch)")
            }
        }
    }

    /// A stateful layer inside a stack still starts from the state it carries.
    func testStatefulLayerInStackStartsFromCarriedState() throws {
        var model = try ModelSpec.model("lstm:4:seq:stateful,lstm:3:stateful,dense:1")
        try model.build(inputShape: [5, 1], seed: 3)
        let x = randomTensor([2, 5, 1], seed: 90)
        _ = model.inferCarryingState(x)
        XCTAssertEqual(model.infer(x), layerByLayer(model, x))
        XCTAssertNotEqual(model.infer(x), { var m = model; m.resetStates(); return m.infer(x) }())
    }
}
