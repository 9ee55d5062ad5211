import XCTest
@testable import Recurrent

/// `Sequential.plan` must agree with what `build` creates, for every layer kind.
final class SequentialPlanTests: XCTestCase {
    func testPlanAgreesWithBuildForEveryKindOfLayer() throws {
        let specs = ["rnn:5,dense:1", "lstm:6:seq,lstm:4,dense:2", "rnn:4:seq,dense:2", "gru:3,dropout:0.2,dense:1", "conv1d:4:3,lstm:5,dense:1",
                     "bilstm:4,dense:3", "ar:frozen,revin,lstm:4,dense:1"]
        for spec in specs {
            var model = try ModelSpec.model(spec)
            let plan = try model.plan(inputShape: [12, 3])
            try model.build(inputShape: [12, 3], seed: 7)
            XCTAssertEqual(plan.outputShape, model.outputShape, spec)
            XCTAssertEqual(plan.parameterCount, model.parameterCount, spec)
        }
    }

    func testPlanRefusesWhatBuildRefuses() throws {
        let mismatched = try ModelSpec.model("lstm:4,dense:2,lstm:3")
        var built = mismatched
        XCTAssertThrowsError(try built.build(inputShape: [5, 1], seed: 1))
        XCTAssertThrowsError(try mismatched.plan(inputShape: [5, 1]))
        XCTAssertThrowsError(try ModelSpec.model("lstm:4").plan(inputShape: [5, 0]))
    }
}
