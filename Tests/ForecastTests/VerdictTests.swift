import XCTest
@testable import Forecast

/// One verdict: the model against the BEST baseline, persistence named separately.
final class VerdictTests: XCTestCase {
    func testABaselineOtherThanPersistenceBeatingTheModelIsNamed() throws {
        // The case of `rnn demo` before the fix: the model beats persistence but loses to linear_ar.
        let v = try XCTUnwrap(Verdict(rmse: [("model", 0.1368), ("persistence", 0.68), ("linear_ar", 0.1230), ("moving_average", 0.3)]))
        XCTAssertFalse(v.modelWins)
        XCTAssertEqual(v.bestBaseline, "linear_ar")
        XCTAssertEqual(v.ratioToPersistence!, 0.1368 / 0.68, accuracy: 1e-12)
        XCTAssertTrue(v.line.contains("linear_ar beats the model"), v.line)
        XCTAssertTrue(v.line.contains("the model beats persistence"), v.line)
        XCTAssertFalse(v.line.contains("the model wins"), v.line)
        let sentence = v.sentence(unit: "PLN")
        XCTAssertTrue(sentence.contains("does NOT beat the best baseline: linear_ar"), sentence)
        XCTAssertTrue(sentence.contains("Against persistence alone"), sentence)
        let json = try parsedJSON(v.jsonValue)
        XCTAssertEqual(json["best_baseline"] as? String, "linear_ar")
        XCTAssertEqual(json["model_wins"] as? Bool, false)
        XCTAssertEqual(json["persistence_rmse"] as? Double, 0.68)
    }

    func testTheModelWinsOnlyBelowEveryBaseline() throws {
        let v = try XCTUnwrap(Verdict(rmse: [("model", 0.9), ("persistence", 1.0), ("seasonal_naive", 1.2), ("linear_ar", .nan)]))
        XCTAssertTrue(v.modelWins)
        XCTAssertEqual(v.bestBaseline, "persistence", "a NaN baseline is ignored")
        XCTAssertEqual(v.percentBelowBest, 10, accuracy: 1e-9)
        XCTAssertTrue(v.line.hasPrefix("Verdict: the model wins"), v.line)
        XCTAssertTrue(v.sentence().contains("beats every baseline"))
        let tie = try XCTUnwrap(Verdict(rmse: [("model", 1.0), ("persistence", 1.0)]))
        XCTAssertFalse(tie.modelWins, "a tie is not a win")
    }

    func testPersistenceAsTheBestBaselineIsNotRepeated() throws {
        let v = try XCTUnwrap(Verdict(rmse: [("model", 1.1), ("persistence", 1.0), ("linear_ar", 1.05)]))
        XCTAssertTrue(v.line.hasPrefix("Verdict: persistence beats the model"), v.line)
        XCTAssertEqual(v.line.components(separatedBy: "persistence beats the model").count, 2, "said once: \(v.line)")
        XCTAssertTrue(v.line.hasSuffix("model / persistence RMSE = 1.100."), v.line)
        XCTAssertFalse(v.sentence().contains("Against persistence alone"))
        XCTAssertNil(Verdict(rmse: [("persistence", 1.0)]), "no model, no verdict")
        XCTAssertNil(Verdict(rmse: [("model", 1.0)]), "no baseline, no verdict")
    }
}
