import XCTest
@testable import Forecast
import Recurrent

/// Small things a newcomer tripped over: JSON numbers and slashes, grammar, the gradient
/// story's numbers and wording, and `rnn predict`'s preparation of forecasting models.
final class JSONOutputNewcomerTests: XCTestCase {
    func testFloatsArePrintedAsTheirShortestDecimalAndSlashesAreNotEscaped() {
        let text = JSONOutput.string(["learning_rate": Float(0.01), "path": "out/model.safetensors", "nan": Float.nan] as [String: Any])
        XCTAssertTrue(text.contains("\"learning_rate\" : 0.01"), text)
        XCTAssertFalse(text.contains("0.0099999"), text)
        XCTAssertTrue(text.contains("\"out/model.safetensors\""), text)
        XCTAssertFalse(text.contains("\\/"), text)
        XCTAssertTrue(text.contains("\"nan\" : null"), text)
    }

    func testCountsAgreeWithTheirNouns() {
        XCTAssertEqual(counted(1, "feature"), "1 feature")
        XCTAssertEqual(counted(3, "feature"), "3 features")
        XCTAssertEqual(counted(0, "trial"), "0 trials")
        XCTAssertEqual(counted(1, "window"), "1 window")
    }
}

final class GradientStoryTests: XCTestCase {
    func testSpreadIsMedianAndRange() {
        let s = Spread([0.9, 1.1, .nan, 0.95, 1.3, 0.8])
        XCTAssertEqual(s.count, 5)
        XCTAssertEqual(s.median, 0.95)
        XCTAssertEqual(s.min, 0.8)
        XCTAssertEqual(s.max, 1.3)
        XCTAssertEqual(s.text("%.2f"), "0.95 [0.80–1.30]")
        XCTAssertEqual(Spread([1, 2, 3, 4]).median, 2.5)
        XCTAssertEqual(Spread([2]).text("%.1f"), "2.0", "one run: no range")
    }

    /// PyTorch's init makes the SimpleRNN's gradient fall below 1e-19 within 100 steps, where
    /// the squares of its entries underflow in Float: the norms must stay positive and smooth.
    func testNormsFarBackDoNotUnderflowToZero() throws {
        let probe = try AddingProblem.make(samples: 64, steps: 100, seed: 78)
        var model = StudyCell.rnn.regressor(units: 16)
        try model.build(inputShape: [100, 2], seed: 1)
        let torch = PyTorchInit.model(model, scheme: .pytorch, hiddenSize: 16, seed: 1)
        let norms = try GradientStudy.snapshot(torch, cell: .rnn, probe: probe).norms
        XCTAssertEqual(norms.count, 101)
        XCTAssertLessThan(norms[100], 1e-19, "the test needs norms in the range where Float squares underflow")
        for k in 1...100 {
            XCTAssertGreaterThan(norms[k], 0, "k = \(k)")
            XCTAssertLessThan(norms[k] / norms[k - 1], 5, "a smooth decay, not a jump, at k = \(k)")
            XCTAssertGreaterThan(norms[k] / norms[k - 1], 0.05, "a smooth decay, not a drop, at k = \(k)")
        }
    }

    private func snapshot(perStep: Double, at0: Double = 1e-2, radius: Double) -> GradientSnapshot {
        let norms = (0...100).map { at0 * pow(perStep, Double($0)) }
        return GradientSnapshot(norms: norms, cellNorms: [], decay: GradientDecayFit.fit(norms: norms), blockRadii: [radius], spectralRadius: radius)
    }

    private func result(rnnFactors: [Double], lstmFactors: [Double]) -> GradientStudyResult {
        func cell(_ c: StudyCell, _ factors: [Double], radius: Double) -> CellGradientStudy {
            let runs = factors.enumerated().map { TrainedRun(seed: UInt64($0.offset + 1), snapshot: snapshot(perStep: $0.element, radius: radius), testMSE: c == .rnn ? 0.16 : 0.001, seconds: 1) }
            let initial = snapshot(perStep: 0.9, radius: 1)
            return CellGradientStudy(cell: c, initial: initial, initialByScheme: [.keras: initial], trained: runs[0].snapshot,
                                     trainedTestMSE: runs[0].testMSE, trainSeconds: 1, trainedRuns: runs)
        }
        var config = GradientStudyConfig(cells: [.rnn, .lstm], steps: 100, initSchemes: [.keras])
        config.trainingSeeds = rnnFactors.count
        return GradientStudyResult(config: config, cells: [cell(.rnn, rnnFactors, radius: 2.5), cell(.lstm, lstmFactors, radius: 0.9)],
                                   exploding: ExplodingStudy(spectralRadius: 2, norms: [], decay: nil, runs: []))
    }

    func testTheTextFollowsTheMeasuredFiguresEitherWay() {
        // As on the README's machine: the trained SimpleRNN forgets faster than the LSTM.
        let usual = GradientReport.trainedExplanation(result(rnnFactors: [0.87, 0.88, 0.86, 0.90, 0.85], lstmFactors: [0.98, 0.99, 0.985, 0.97, 0.99]))
        XCTAssertTrue(usual.contains("the gated cells keep more of the gradient"), usual)
        XCTAssertTrue(usual.contains("0.870 [0.850–0.900]"), "median and range of the SimpleRNN's factor: \(usual)")
        XCTAssertTrue(usual.contains("over 5 training seeds"), usual)
        // As on another CPU (issue 15): the trained SimpleRNN's factor is above 1.
        let other = GradientReport.trainedExplanation(result(rnnFactors: [1.0098, 0.95, 1.02, 1.01, 0.99], lstmFactors: [0.98, 0.99, 0.985, 0.97, 0.99]))
        XCTAssertFalse(other.contains("the gated cells keep more"), other)
        XCTAssertFalse(other.contains("still shrinks"), "no claim the numbers contradict: \(other)")
        XCTAssertTrue(other.contains("not below the gated cells'"), other)
        XCTAssertTrue(other.contains("≥ 1"), other)
    }
}

final class ArrayPreparationTests: XCTestCase {
    func testScalesInputsAndUnscalesOutputsWithTheStoredScalings() throws {
        var setup = ExperimentSetup(target: "value", lookback: 2, model: "lstm:2,dense:1")
        setup.features = ["x"]
        let scalings = [AffineScaling(column: "value", offset: -1, factor: 0.5), AffineScaling(column: "x", offset: 0, factor: 2)]
        let p = try ArrayPreparation(setup: setup, scalings: scalings)
        let x = Tensor(shape: [1, 2, 2], scalars: [4, 1, 6, 3])
        XCTAssertEqual(try p.scaleInputs(x).scalars, [1, 2, 2, 6])
        XCTAssertEqual(p.unscaleOutputs(Tensor(shape: [1, 1], scalars: [1])).scalars, [4])
        XCTAssertThrowsError(try p.scaleInputs(Tensor(shape: [1, 2, 1], scalars: [1, 2]))) {
            XCTAssertTrue("\($0)".contains("2 input column(s)"), "\($0)")
        }
        setup.transform = .difference
        XCTAssertThrowsError(try ArrayPreparation(setup: setup, scalings: scalings)) {
            XCTAssertEqual($0 as? ExperimentError, .setting(.arrayCannotUndoTransform(.difference, target: "value")))
        }
        setup.transform = .none
        setup.calendar = [.weekday]
        XCTAssertThrowsError(try ArrayPreparation(setup: setup, scalings: scalings)) {
            XCTAssertEqual($0 as? ExperimentError, .setting(.arrayNeedsCalendarInputs([.weekday])))
        }
    }
}
