import XCTest
@testable import Recurrent

final class ModelSpecTests: XCTestCase {
    func testLabModelParsesAndRoundTrips() throws {
        let spec = "lstm:50:seq,dropout:0.2,lstm:50:seq,dropout:0.2,lstm:50,dropout:0.2,dense:1"
        let configs = try ModelSpec.parse(spec)
        XCTAssertEqual(configs.map(\.type), ["LSTM", "Dropout", "LSTM", "Dropout", "LSTM", "Dropout", "Dense"])
        XCTAssertEqual(configs[0].returnSequences, true)
        XCTAssertNil(configs[4].returnSequences)
        XCTAssertEqual(ModelSpec.describe(configs), spec)
        var model = try ModelSpec.model(spec)
        try model.build(inputShape: [60, 1], seed: 1)
        // Keras counts 50,851 (one bias per gate); PyTorch's layout has two (b_ih, b_hh):
        // 3 × 4·50 more = 51,451.
        XCTAssertEqual(model.parameterCount, 51_451)
    }

    func testEveryLayerKind() throws {
        let spec = "conv1d:8:3:d=2:relu,bigru:4:seq:sum,rnn:5:relu:bptt=10,dense:3:softmax"
        let configs = try ModelSpec.parse(spec)
        XCTAssertEqual(configs.map(\.type), ["Conv1D", "Bidirectional", "SimpleRNN", "Dense"])
        XCTAssertEqual(configs[1].merge, "sum")
        XCTAssertEqual(configs[2].activation, .relu)
        XCTAssertEqual(configs[2].bpttSteps, 10)
        XCTAssertEqual(ModelSpec.describe(configs), spec)
        var model = try ModelSpec.model(spec)
        try model.build(inputShape: [12, 2], seed: 1)
        XCTAssertEqual(model.outputShape, [3])
    }

    func testErrorsPointAtTheBadToken() {
        let cases: [(String, Int, String)] = [
            ("lstm:50,lstm:5x0,dense:1", 2, "'5x0' is not a positive unit count"),
            ("lstm:50,dropout:1.5", 2, "not a rate in [0, 1)"),
            ("lstm:50,transformer:4", 2, "unknown layer 'transformer'"),
            ("lstm:50:seqq", 1, "unknown option 'seqq'"),
            ("lstm:50,,dense:1", 2, "empty layer"),
            ("dense:4:swish", 1, "unknown activation 'swish'"),
            ("", 1, "empty spec"),
        ]
        for (spec, token, text) in cases {
            XCTAssertThrowsError(try ModelSpec.parse(spec), spec) { error in
                let e = error as? ModelSpec.ParseError
                XCTAssertEqual(e?.tokenIndex.advanced(by: 1), token, spec)
                XCTAssertTrue("\(error)".contains(text), "\(error)")
            }
        }
    }
}
