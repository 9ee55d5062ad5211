import XCTest
import Recurrent
@testable import LabDemos
@testable import Forecast

/// Many-to-many, Tx = Ty: per-step spike tagging.
final class StructureTaggingTests: XCTestCase {
    /// Margin: per-step F1 of the spike class ≥ 0.7 where "normal everywhere" has F1 0.
    func testTagsSpikesStepByStep() throws {
        var o = TagDemo.Options(run: StructureRun(seed: 4, epochs: 30))
        o.trainCount = 240; o.testCount = 60; o.length = 40; o.units = 16; o.spikeRate = 0.06
        let r = try TagDemo.run(o)
        XCTAssertGreaterThanOrEqual(r.scores.f1, 0.7, "F1 \(r.scores.f1)")
        XCTAssertEqual(r.allNormal.f1, 0)
        XCTAssertGreaterThan(r.scores.accuracy, r.allNormal.accuracy)
        XCTAssertEqual(r.predicted.count, 60)
        XCTAssertEqual(r.predicted[0].count, 40)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("structures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = try TagDemo.writeReport(r, to: dir, command: "rnn demo tag")
        XCTAssertEqual(metrics["test_f1"] as? Double, r.scores.f1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("signal-1.svg").path))
    }

    func testStepScores() {
        let s = TagDemo.StepScores(truth: [[0, 1, 0, 1]], predicted: [[0, 1, 1, 0]])
        XCTAssertEqual(s.accuracy, 0.5)
        XCTAssertEqual(s.precision, 0.5)
        XCTAssertEqual(s.recall, 0.5)
        XCTAssertEqual(s.f1, 0.5)
    }

    func testBadOptionsAreRefused() {
        var o = TagDemo.Options(run: StructureRun(epochs: 1))
        o.spikeRate = 0
        XCTAssertThrowsError(try TagDemo.run(o)) { XCTAssertEqual($0 as? ParameterError, ParameterError("spikeRate", mustBe: "in (0, 0.5)", got: 0.0)) }
    }
}
