import XCTest
@testable import Recurrent

final class WeightPenaltyTests: XCTestCase {
    func testL2AddsTwoLambdaWToWeightsOnly() throws {
        var m = Sequential { Dense(2) }
        try m.build(inputShape: [2], seed: 0)
        try m.setParameter("layers.0.weight", to: Tensor(shape: [2, 2], scalars: [1, -2, 3, 0]))
        try m.setParameter("layers.0.bias", to: Tensor(shape: [2], scalars: [5, 5]))
        m.updateParameters { _, p in
            for i in p.gradient.scalars.indices { p.gradient.scalars[i] = 1 }
        }
        XCTAssertEqual(m.l2Penalty(0.1), 1.4, accuracy: 1e-6)
        XCTAssertEqual(m.addL2Penalty(0.1), 1.4, accuracy: 1e-6)
        let g = m.namedParameters.map(\.parameter.gradient.scalars)
        XCTAssertEqual(g[0], [1.2, 0.6, 1.6, 1], "1 + 2·0.1·w")
        XCTAssertEqual(g[1], [1, 1], "biases are not penalized")
        XCTAssertEqual(m.addL2Penalty(0), 0)
    }
}
