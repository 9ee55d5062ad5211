import XCTest
@testable import Forecast

final class TargetTransformTests: XCTestCase {
    let levels: [Double] = [3.6998, 3.7105, 3.69, 3.8, 4.1012]

    func testDifferencingInvertsOneStepAndPath() throws {
        let d = try TargetTransform.difference.forward(levels)
        XCTAssertTrue(d[0].isNaN)
        let back = try TargetTransform.difference.invertOneStep(Array(d[1...]), previousLevels: Array(levels.dropLast()))
        for (a, b) in zip(back, levels.dropFirst()) { XCTAssertEqual(a, b, accuracy: 1e-14) }
        let path = TargetTransform.difference.invertPath(Array(d[1...]), lastLevel: levels[0])
        for (a, b) in zip(path, levels.dropFirst()) { XCTAssertEqual(a, b, accuracy: 1e-14) }
        // Exact on values that are exact in binary.
        XCTAssertEqual(TargetTransform.difference.invertPath(try TargetTransform.difference.forward([1, 1.5, 0.25, 4]).dropFirst().map { $0 }, lastLevel: 1), [1.5, 0.25, 4])
    }

    func testLogReturnsInvert() throws {
        let r = try TargetTransform.logReturn.forward(levels)
        XCTAssertEqual(r[1], log(3.7105 / 3.6998), accuracy: 1e-15)
        let back = try TargetTransform.logReturn.invertOneStep(Array(r[1...]), previousLevels: Array(levels.dropLast()))
        for (a, b) in zip(back, levels.dropFirst()) { XCTAssertEqual(a, b, accuracy: 1e-14) }
        let path = TargetTransform.logReturn.invertPath(Array(r[1...]), lastLevel: levels[0])
        for (a, b) in zip(path, levels.dropFirst()) { XCTAssertEqual(a, b, accuracy: 1e-13) }
        XCTAssertThrowsError(try TargetTransform.logReturn.forward([1, 0, 2])) { e in
            XCTAssertEqual(e as? TransformError, .nonPositiveLevel(index: 1, value: 0))
        }
        XCTAssertThrowsError(try TargetTransform.none.invertOneStep([1], previousLevels: []))
        XCTAssertEqual(TargetTransform.none.invertPath([5, 6], lastLevel: 1), [5, 6])
    }
}
