import XCTest
@testable import ONNXExport

final class GateOrderTests: XCTestCase {
    func testLSTMGoesFromIFGOToIOFC() {
        XCTAssertEqual(GateOrder.onnxBlocks(forCellType: "LSTM"), [0, 3, 1, 2])
        // 4 blocks of 2 rows × 1 column, values = our row index.
        let ours: [Float] = (0..<8).map(Float.init)
        XCTAssertEqual(GateOrder.reorder(ours, blocks: [0, 3, 1, 2], rowsPerBlock: 2, columns: 1), [0, 1, 6, 7, 2, 3, 4, 5])
    }

    func testGRUGoesFromRZNToZRH() {
        XCTAssertEqual(GateOrder.onnxBlocks(forCellType: "GRU"), [1, 0, 2])
        // 3 blocks of 1 row × 2 columns: whole rows move together.
        let ours: [Float] = [10, 11, 20, 21, 30, 31]
        XCTAssertEqual(GateOrder.reorder(ours, blocks: [1, 0, 2], rowsPerBlock: 1, columns: 2), [20, 21, 10, 11, 30, 31])
    }

    func testSimpleRNNIsOneBlock() {
        XCTAssertEqual(GateOrder.onnxBlocks(forCellType: "SimpleRNN"), [0])
    }
}
