import Charts
import XCTest
@testable import Forecast
import Recurrent

/// Small things a newcomer tripped over: JSON numbers and slashes, grammar, the gradient
/// story's numbers and wording, and `rnn predict`'s preparation of forecasting models.
final class JSONOutputNewcomerTests: XCTestCase {
    func testFloatsArePrintedAsTheirShortestDecimalAndSlashesAreNotEscaped() {
        let text = JSONOutput.string(["learning_rate": Float(0.01), "path": "out/model.safetensors", "nan": Float.nan] as [String: Any])
        XCTAssertTrue(text.contains("\"learning_rate\" : 0.01"), text)
        XCTAssertFalse(text.contains("0.0099999"), text)
        XCTAssertTrue(text.contains("\"out/model.safetensors\""), text)
        XCTAssertFalse(text.contains("\\/"), text)
        XCTAssertTrue(text.contains("\"nan\" : null"), text)
    }

    func testCountsAgreeWithTheirNouns() {
        XCTAssertEqual(counted(1, "feature"), "1 feature")
        XCTAssertEqual(counted(3, "feature"), "3 features")
        XCTAssertEqual(counted(0, "trial"), "0 trials")
        XCTAssertEqual(counted(1, "window"), "1 window")
    }
}

final class ArrayPreparationTests: XCTestCase {
    func testScalesInputsAndUnscalesOutputsWithTheStoredScalings() throws {
        var setup = ExperimentSetup(target: "value", lookback: 2, model: "lstm:2,dense:1")
        setup.features = ["x"]
        let scalings = [AffineScaling(column: "value", offset: -1, factor: 0.5), AffineScaling(column: "x", offset: 0, factor: 2)]
        let p = try ArrayPreparation(setup: setup, scalings: scalings)
        let x = Tensor(shape: [1, 2, 2], scalars: [4, 1, 6, 3])
        XCTAssertEqual(try p.scaleInputs(x).scalars, [1, 2, 2, 6])
        XCTAssertEqual(p.unscaleOutputs(Tensor(shape: [1, 1], scalars: [1])).scalars, [4])
        XCTAssertThrowsError(try p.scaleInputs(Tensor(shape: [1, 2, 1], scalars: [1, 2]))) {
            XCTAssertTrue("\($0)".contains("2 input column(s)"), "\($0)")
        }
        setup.transform = .difference
        XCTAssertThrowsError(try ArrayPreparation(setup: setup, scalings: scalings)) {
            XCTAssertEqual($0 as? ExperimentError, .setting(.arrayCannotUndoTransform(.difference, target: "value")))
        }
        setup.transform = .none
        setup.calendar = [.weekday]
        XCTAssertThrowsError(try ArrayPreparation(setup: setup, scalings: scalings)) {
            XCTAssertEqual($0 as? ExperimentError, .setting(.arrayNeedsCalendarInputs([.weekday])))
        }
    }
}
