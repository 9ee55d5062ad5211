import XCTest
import Recurrent
@testable import LabDemos
@testable import Forecast

/// Many-to-many, Tx ≠ Ty: the encoder–decoder against recursive, direct and persistence.
final class StructureSeq2SeqTests: XCTestCase {
    /// On the generated two-cycle series (no data folder), 20 steps in → 10 out: the
    /// encoder–decoder's RMSE must be ≤ 0.8 × persistence's over all 10 steps.
    func testEncoderDecoderBeatsPersistenceOnGeneratedSeries() throws {
        var o = Seq2SeqDemo.Options(run: StructureRun(seed: 1, epochs: 12))
        o.dataPath = "/nonexistent/nbp"
        o.generatedLength = 600; o.lookback = 20; o.horizon = 10; o.units = 12; o.learningRate = 0.01
        let r = try Seq2SeqDemo.run(o)
        XCTAssertTrue(r.source.contains("absent"), r.source)
        XCTAssertEqual(r.methods.map(\.name), ["encoder_decoder", "direct", "recursive", "persistence"])
        let ed = r.method("encoder_decoder")!, p = r.method("persistence")!
        XCTAssertEqual(ed.rmsePerStep.count, 10)
        XCTAssertLessThanOrEqual(ed.rmse, 0.8 * p.rmse, "encoder–decoder \(ed.rmse), persistence \(p.rmse)")
        XCTAssertTrue(r.methods.allSatisfy { $0.paths.count == r.testWindows })

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("structures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = try Seq2SeqDemo.writeReport(r, to: dir, command: "rnn demo seq2seq")
        XCTAssertNotNil(metrics["methods"] as? [String: Any])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rmse-per-step.svg").path))
    }

    func testPerStepRMSE() {
        let m = Seq2SeqDemo.MethodPaths(name: "x", paths: [[1, 2], [3, 4]], actual: [[1, 4], [3, 4]])
        XCTAssertEqual(m.rmsePerStep[0], 0)
        XCTAssertEqual(m.rmsePerStep[1], (2.0).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(m.rmse, 1)
    }

    func testBadOptionsAreRefused() {
        var o = Seq2SeqDemo.Options(run: StructureRun(epochs: 1))
        o.horizon = -3
        XCTAssertThrowsError(try Seq2SeqDemo.run(o)) { XCTAssertEqual("\($0)", "horizon must be at least 2, got -3") }
    }
}
