import XCTest
import Recurrent
@testable import LabDemos
@testable import Forecast

/// One-to-one: the Dense classifier of spiral points.
final class StructureOneToOneTests: XCTestCase {
    /// Margin: test accuracy ≥ 0.9 where the majority class scores ≤ 0.45 (3 balanced classes).
    func testDenseClassifierSeparatesSpirals() throws {
        var o = ClassifyPointsDemo.Options(run: StructureRun(seed: 3, epochs: 60))
        o.pointsPerClass = 80
        let r = try ClassifyPointsDemo.run(o)
        XCTAssertGreaterThanOrEqual(r.test.accuracy, 0.9, "accuracy \(r.test.accuracy)")
        XCTAssertLessThanOrEqual(r.test.majorityAccuracy, 0.45)
        XCTAssertEqual(r.test.count + r.train.count, 240)
        let grid = r.decisionGrid(resolution: 8)
        XCTAssertEqual(grid.count, 8)
        XCTAssertEqual(Set(grid.flatMap { $0 }).count, 3, "every class owns part of the plane")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("structures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = try ClassifyPointsDemo.writeReport(r, to: dir, command: "rnn demo classify-points")
        XCTAssertEqual(metrics["test_accuracy"] as? Double, r.test.accuracy)
        for name in ["report.html", "metrics.json", "regions.svg", "points.svg", "confusion.svg", "loss.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), name)
        }
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Decision regions"))
    }

    func testSpiralsAreSeededAndBalanced() {
        let a = ClassifyPointsDemo.spirals(pointsPerClass: 10, classes: 3, noise: 0.2, seed: 1)
        let b = ClassifyPointsDemo.spirals(pointsPerClass: 10, classes: 3, noise: 0.2, seed: 1)
        XCTAssertEqual(a.points, b.points)
        XCTAssertEqual(a.labels.filter { $0 == 2 }.count, 10)
        XCTAssertTrue(a.points.allSatisfy { hypot($0[0], $0[1]) <= 1.0001 })
    }

    func testScores() {
        let s = ClassificationScores(truth: [0, 0, 1, 1, 1], predicted: [0, 1, 1, 1, 0], classes: 2)
        XCTAssertEqual(s.accuracy, 0.6, accuracy: 1e-12)
        XCTAssertEqual(s.majorityAccuracy, 0.6, accuracy: 1e-12)
        let p = s.precisionRecallF1(1)
        XCTAssertEqual(p.precision, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(p.recall, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(s.confusion, [[1, 1], [1, 2]])
    }

    func testBadOptionsAreRefused() {
        var o = ClassifyPointsDemo.Options(run: StructureRun(epochs: 0))
        XCTAssertThrowsError(try ClassifyPointsDemo.run(o)) { XCTAssertEqual($0 as? ParameterError, ParameterError("epochs", mustBe: "at least 1", got: 0)) }
        o.run.epochs = 1; o.pointsPerClass = -5
        XCTAssertThrowsError(try ClassifyPointsDemo.run(o)) { XCTAssertEqual("\($0)", "points per class must be at least 4, got -5") }
    }
}
