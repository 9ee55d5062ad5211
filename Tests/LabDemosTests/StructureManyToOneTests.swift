import XCTest
import Recurrent
@testable import LabDemos
@testable import Forecast

/// Many-to-one: waveform recognition with random lengths (padding + lengths).
final class StructureManyToOneTests: XCTestCase {
    /// Margin: test accuracy ≥ 0.8 where the majority class scores 0.25 (4 balanced classes).
    func testRecognisesWaveformsOfRandomLength() throws {
        var o = ClassifySequencesDemo.Options(run: StructureRun(seed: 2, epochs: 20))
        o.trainCount = 320; o.testCount = 120; o.minLength = 16; o.maxLength = 32; o.units = 16; o.learningRate = 0.01
        let r = try ClassifySequencesDemo.run(o)
        XCTAssertGreaterThanOrEqual(r.scores.accuracy, 0.8, "accuracy \(r.scores.accuracy)")
        XCTAssertEqual(r.scores.majorityAccuracy, 0.25, accuracy: 1e-12)
        XCTAssertFalse(ClassifySequencesDemo.accuracyByLength(r).isEmpty)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("structures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = try ClassifySequencesDemo.writeReport(r, to: dir, command: "rnn demo classify-sequences")
        XCTAssertEqual(metrics["test_accuracy"] as? Double, r.scores.accuracy)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("confusion.svg").path))
    }

    /// Padding must not change a prediction: the same sequence padded to two lengths gives the same probabilities.
    func testPaddingDoesNotChangePredictions() throws {
        let w = ClassifySequencesDemo.waveforms(count: 4, minLength: 10, maxLength: 20, noise: 0.3, seed: 1)
        var model = Sequential { GRU(6); Dense(4, activation: .softmax) }
        try model.build(inputShape: [40, 1], seed: 1)
        var longer = Tensor(shape: [4, 40, 1])
        for i in 0..<4 { for s in 0..<20 { longer.scalars[i * 40 + s] = w.x.scalars[i * 20 + s] } }
        for i in 0..<4 { for s in 20..<40 { longer.scalars[i * 40 + s] = 9 } }  // junk in the padding
        let a = ClassifySequencesDemo.predict(model, w.x, lengths: w.lengths)
        let b = ClassifySequencesDemo.predict(model, longer, lengths: w.lengths)
        for (p, q) in zip(a.scalars, b.scalars) { XCTAssertEqual(p, q, accuracy: 1e-6) }
        XCTAssertTrue(w.lengths.allSatisfy { (10...20).contains($0) })
        XCTAssertEqual(w.labels, [0, 1, 2, 3])
    }

    func testBadOptionsAreRefused() {
        var o = ClassifySequencesDemo.Options(run: StructureRun(epochs: 1))
        o.minLength = 30; o.maxLength = 20
        XCTAssertThrowsError(try ClassifySequencesDemo.run(o)) { XCTAssertEqual($0 as? ParameterError, ParameterError("maxLength", mustBe: "at least 30", got: 20)) }
    }
}
