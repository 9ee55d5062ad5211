import XCTest
@testable import Recurrent

final class ProgressFormatterTests: XCTestCase {
    private func inner(_ s: String) -> Substring {
        let open = s.firstIndex(of: "[")!, close = s.firstIndex(of: "]")!
        return s[s.index(after: open)..<close]
    }

    func testBarWidthAndETA() {
        let s = ProgressFormatter.bar(epoch: 3, epochs: 10, batch: 10, batches: 40, elapsed: 5, loss: 0.0123456, width: 20)
        XCTAssertEqual(inner(s).count, 20)
        XCTAssertEqual(inner(s), "=====>..............")
        XCTAssertTrue(s.hasPrefix("Epoch 3/10  10/40 ["), s)
        XCTAssertTrue(s.contains("ETA 0:15"), s)
        XCTAssertTrue(s.hasSuffix("- loss: 0.01235"), s)
    }

    func testBarStartAndEnd() {
        let start = ProgressFormatter.bar(epoch: 1, epochs: 1, batch: 0, batches: 7, elapsed: 0, loss: nil, width: 10)
        XCTAssertEqual(inner(start), "..........")
        XCTAssertTrue(start.contains("ETA ?"), start)
        let end = ProgressFormatter.bar(epoch: 1, epochs: 1, batch: 7, batches: 7, elapsed: 3.25, loss: 1, width: 10)
        XCTAssertEqual(inner(end), "==========")
        XCTAssertTrue(end.contains("] 3.2s - loss: 1.000") || end.contains("] 3.3s - loss: 1.000"), end)
    }

    func testClockAndNumbers() {
        XCTAssertEqual(ProgressFormatter.clock(75), "1:15")
        XCTAssertEqual(ProgressFormatter.clock(3725), "1:02:05")
        XCTAssertEqual(ProgressFormatter.seconds(0.4567), "0.46s")
        XCTAssertEqual(ProgressFormatter.seconds(42.4), "42s")
        XCTAssertEqual(ProgressFormatter.number(12.3456), "12.35")
        XCTAssertEqual(ProgressFormatter.number(0.001), "0.001000")
        XCTAssertEqual(ProgressFormatter.number(1.23456e-5), "1.235e-05")
        XCTAssertEqual(ProgressFormatter.number(-250000), "-2.500e+05")
        XCTAssertEqual(ProgressFormatter.number(.nan), "nan")
    }

    func testEpochLine() {
        let line = ProgressFormatter.epochLine(epoch: 2, epochs: 5, seconds: 4.2, metrics: [("loss", 0.5), ("val_loss", 0.25)])
        XCTAssertEqual(line, "Epoch 2/5 - 4.2s - loss: 0.5000 - val_loss: 0.2500")
        let withETA = ProgressFormatter.epochLine(epoch: 2, epochs: 5, seconds: 4.2, metrics: [("loss", 0.5)], remaining: 125)
        XCTAssertEqual(withETA, "Epoch 2/5 - 4.2s - loss: 0.5000 - ETA 2:05")
        XCTAssertFalse(ProgressFormatter.epochLine(epoch: 5, epochs: 5, seconds: 1, metrics: [], remaining: 0).contains("ETA"))
    }
}
