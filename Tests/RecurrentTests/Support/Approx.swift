import XCTest
@testable import Recurrent

/// Asserts |a − b| ≤ abs + rel·|b| element-wise and reports the largest difference.
func assertClose(_ actual: Tensor, _ expected: Tensor, rel: Float = 1e-4, abs: Float = 1e-6,
                 _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    var worst: Float = 0, worstIndex = 0, ok = true
    for i in actual.scalars.indices {
        let d = Swift.abs(actual.scalars[i] - expected.scalars[i])
        if d > worst { worst = d; worstIndex = i }
        if !(d <= abs + rel * Swift.abs(expected.scalars[i])) { ok = false }
    }
    XCTAssertTrue(ok, "\(label): max |diff| \(worst) at \(worstIndex) (got \(actual.scalars[worstIndex]), expected \(expected.scalars[worstIndex]))", file: file, line: line)
}
