import Foundation
import XCTest
@testable import LabDemos
@testable import Forecast
import Recurrent

final class GradientStudyTests: XCTestCase {
    func testAddingProblemDataAndBaseline() throws {
        let (x, y) = try AddingProblem.make(samples: 20_000, steps: 12, seed: 3)
        XCTAssertEqual(x.shape, [20_000, 12, 2])
        XCTAssertEqual(y.shape, [20_000, 1])
        for n in [0, 1, 777, 19_999] {
            let markers = (0..<12).filter { x[n, $0, 1] == 1 }
            XCTAssertEqual(markers.count, 2)
            XCTAssertLessThan(markers[0], 6, "first marker in the first half")
            XCTAssertGreaterThanOrEqual(markers[1], 6, "second marker in the second half")
            XCTAssertEqual(y[n, 0], x[n, markers[0], 0] + x[n, markers[1], 0], accuracy: 1e-6)
            XCTAssertEqual((0..<12).filter { x[n, $0, 1] != 0 && x[n, $0, 1] != 1 }.count, 0)
        }
        // Predicting 1 gives Var(U1 + U2) = 1/6 (standard error ≈ 0.0013 at 20 000 samples).
        let baseline = try Loss.meanSquaredError.value(Tensor(shape: y.shape, repeating: 1), y)
        XCTAssertEqual(baseline, AddingProblem.baselineMSE, accuracy: 0.006)
        let again = try AddingProblem.make(samples: 20_000, steps: 12, seed: 3)
        XCTAssertEqual(again.x, x, "seeded")
        XCTAssertThrowsError(try AddingProblem.make(samples: 10, steps: 1, seed: 0))
    }

    func testCellAndStepListsParseAndRejectBadInput() throws {
        XCTAssertEqual(try RecurrentKind.parseList("rnn, LSTM,gru,lstm"), [.rnn, .lstm, .gru])
        XCTAssertThrowsError(try RecurrentKind.parseList("rnn,transformer")) { XCTAssertEqual("\($0)", "unknown cell 'transformer': expected rnn, lstm or gru") }
        XCTAssertEqual(try RecurrentKind.parseSteps("50,100,200"), [50, 100, 200])
        XCTAssertThrowsError(try RecurrentKind.parseSteps("50,-3")) { XCTAssertTrue("\($0)".contains("'-3'"), "\($0)") }
        XCTAssertThrowsError(try RecurrentKind.parseSteps("50,")) { XCTAssertTrue("\($0)".contains("''"), "\($0)") }
    }

    func testTinyAddingRunLSTMBeatsTheBaseline() throws {
        // T = 10, LSTM(8), 512 sequences, 12 epochs: well under the 0.167 of predicting 1.
        let budget = AddingBudget(units: 8, trainSamples: 512, testSamples: 256, epochs: 12, batchSize: 16, learningRate: 0.01, clipNorm: 1, seed: 2)
        let runs = try AddingStudy.run(cells: [.lstm], steps: [10], budget: budget)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].trainLoss.count, 12)
        XCTAssertLessThan(runs[0].testMSE, 0.5 * runs[0].baselineMSE, "LSTM test MSE \(runs[0].testMSE)")
        XCTAssertEqual(runs[0].baselineMSE, 1.0 / 6, accuracy: 0.04)
    }

    func testSnapshotOnALinearRecurrenceRecoversItsFactor() throws {
        // SimpleRNN with W_ih = 0, zero biases and W_hh = a·I: h stays 0, tanh'(0) = 1, so
        // ∂L/∂h_{t−1} = a·∂L/∂h_t exactly: the fitted factor and the spectral radius are a.
        let probe = try AddingProblem.make(samples: 8, steps: 30, seed: 5)
        for a: Float in [0.6, 1.5] {
            var model = RecurrentKind.rnn.regressor(units: 4)
            try model.build(inputShape: [30, 2], seed: 1)
            try model.setParameter("layers.0.weight_ih_l0", to: Tensor(shape: [4, 2]))
            var w = Tensor(shape: [4, 4])
            for i in 0..<4 { w[i, i] = a }
            try model.setParameter("layers.0.weight_hh_l0", to: w)
            let snap = try GradientStudy.snapshot(model, cell: .rnn, probe: probe)
            XCTAssertEqual(snap.norms.count, 31)
            XCTAssertEqual(try XCTUnwrap(snap.decay).perStep, Double(a), accuracy: 1e-4)
            XCTAssertEqual(snap.norms[30] / snap.norms[0], pow(Double(a), 30), accuracy: 1e-3 * pow(Double(a), 30))
            XCTAssertEqual(snap.spectralRadius, Double(a), accuracy: 1e-6)
        }
    }

    func testLSTMSnapshotReportsGateBlocksAndCellNorms() throws {
        let probe = try AddingProblem.make(samples: 8, steps: 12, seed: 5)
        var model = RecurrentKind.lstm.regressor(units: 5)
        try model.build(inputShape: [12, 2], seed: 1)
        let snap = try GradientStudy.snapshot(model, cell: .lstm, probe: probe)
        XCTAssertEqual(snap.blockRadii.count, 4)
        XCTAssertEqual(snap.spectralRadius, snap.blockRadii[2], "headline = candidate block g")
        XCTAssertEqual(snap.cellNorms.count, 13)
        XCTAssertTrue(snap.blockRadii.allSatisfy { $0 > 0 && $0 <= 1 + 1e-6 }, "blocks of an orthogonal [4H, H] matrix: \(snap.blockRadii)")
    }

    func testGradientJSONHasTheDocumentedShape() throws {
        var config = GradientStudyConfig(cells: [.rnn, .gru], steps: 6, recurrentScale: 2, probeSamples: 4,
                                         budget: AddingBudget(units: 3, trainSamples: 32, testSamples: 8, epochs: 1, batchSize: 16), clippingEpochs: 1)
        config.clipNorm = 0.5
        let result = try GradientStudy.run(config)
        let json = GradientReport.json(result)
        let cells = try XCTUnwrap(json["cells"] as? [String: Any])
        XCTAssertEqual(Set(cells.keys), ["rnn", "gru"])
        let rnn = try XCTUnwrap(cells["rnn"] as? [String: Any])
        XCTAssertEqual((rnn["norms"] as? [Double])?.count, 7)
        XCTAssertNotNil(rnn["decay_per_step"] as? Double)
        XCTAssertNotNil(rnn["spectral_radius"] as? Double)
        XCTAssertNotNil((rnn["trained"] as? [String: Any])?["norms"] as? [Double])
        XCTAssertEqual(result.exploding.spectralRadius, 2, accuracy: 1e-3)
        XCTAssertEqual(result.exploding.runs.map(\.clipNorm), [nil, 0.5])
        XCTAssertEqual(result.exploding.runs[1].batchLoss.count, 2)
        XCTAssertThrowsError(try GradientStudy.run(GradientStudyConfig(steps: 1))) { XCTAssertEqual("\($0)", "steps must be at least 2, got 1") }
    }
}
