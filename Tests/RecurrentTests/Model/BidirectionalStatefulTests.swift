import XCTest
@testable import Recurrent

/// A bidirectional layer cannot carry state across batches (its backward pass starts at each
/// sequence's end), so every way of asking for one is refused with a message saying so:
/// the spec parser, a `LayerConfig` (model files, grids) and the Swift API. Complements
/// `HostileModelFileTests` (the model-file path and `bilstm`/`GRU` cases).
final class BidirectionalStatefulTests: XCTestCase {
    func testSpecRefusesStatefulForEveryCellAndFlagOrder() {
        for (spec, token) in [("bilstm:3:stateful", 1), ("bigru:4:seq:stateful:sum", 1), ("dense:2,birnn:2:relu:stateful:bptt=3", 2),
                              ("bilstm:3:stateful:seq,dense:1", 1)] {
            XCTAssertThrowsError(try ModelSpec.parse(spec), spec) { error in
                let e = error as? ModelSpec.ParseError
                XCTAssertEqual(e.map { $0.tokenIndex + 1 }, token, "\(spec): the error points at the bidirectional token")
                XCTAssertTrue("\(error)".contains("a bidirectional layer cannot be stateful"), "\(spec): \(error)")
            }
        }
        // The same layers without `stateful` parse, and a plain stateful layer is fine.
        XCTAssertNoThrow(try ModelSpec.parse("bigru:4:seq:sum,lstm:3:stateful,dense:1"))
    }

    func testLayerConfigRefusesStatefulForEveryCell() {
        for cell in ["LSTM", "GRU", "SimpleRNN"] {
            var inner = LayerConfig(type: cell)
            inner.units = 3
            inner.stateful = true
            var bi = LayerConfig(type: "Bidirectional")
            bi.layer = LayerConfig.Box(inner)
            XCTAssertThrowsError(try LayerRegistry.makeLayer(bi), cell) {
                XCTAssertTrue("\($0)".contains("Bidirectional(\(cell)) cannot be stateful"), "\($0)")
            }
            XCTAssertThrowsError(try Sequential(configs: [bi]), cell)
            inner.stateful = false
            bi.layer = LayerConfig.Box(inner)
            XCTAssertNoThrow(try LayerRegistry.makeLayer(bi), cell)
        }
    }

    /// `Bidirectional(LSTM(…, stateful: true))` cannot throw at construction; the model refuses
    /// it when built, before a file recording a stateful flag it never honoured can be written.
    func testSwiftAPIRefusesAStatefulWrappedLayerWhenBuilt() {
        var model = Sequential {
            Bidirectional(LSTM(3, stateful: true))
            Dense(1)
        }
        XCTAssertThrowsError(try model.build(inputShape: [4, 2], seed: 1)) {
            XCTAssertTrue("\($0)".contains("Bidirectional(LSTM) cannot be stateful"), "\($0)")
        }
        XCTAssertFalse(model.isBuilt)
        XCTAssertThrowsError(try model.save(to: FileManager.default.temporaryDirectory.appendingPathComponent("never.safetensors")))
    }
}
