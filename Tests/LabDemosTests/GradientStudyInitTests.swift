import XCTest
@testable import LabDemos
@testable import Forecast
import Recurrent

final class GradientStudyInitTests: XCTestCase {
    /// Snapshot of `cell(16) → Dense(1)` at initialisation under `scheme`, T = 50.
    private func snapshotAtInit(_ cell: RecurrentKind, _ scheme: InitScheme, probe: (x: Tensor, y: Tensor)) throws -> GradientSnapshot {
        var model = cell.regressor(units: 16)
        try model.build(inputShape: [50, 2], seed: 1)
        model = PyTorchInit.model(model, scheme: scheme, hiddenSize: 16, seed: 1)
        return try GradientStudy.snapshot(model, cell: cell, probe: probe)
    }

    func testPyTorchInitDrawsEveryParameterFromTheBound() throws {
        var model = RecurrentKind.lstm.regressor(units: 16)
        try model.build(inputShape: [5, 2], seed: 1)
        let torch = PyTorchInit.model(model, scheme: .pytorch, hiddenSize: 16, seed: 1)
        XCTAssertEqual(torch.namedParameters.count, 6, "LSTM: 4 tensors, Dense: 2")
        for (name, p) in torch.namedParameters {
            XCTAssertTrue(p.value.scalars.allSatisfy { abs($0) <= 0.25 }, "\(name) outside ±1/√16")
            XCTAssertGreaterThan(p.value.scalars.map(abs).max()!, 0.2, "\(name) does not fill the bound")
        }
        // The forget-gate bias (rows H..<2H of bias_ih) is no longer Keras's 1.
        let bias = try XCTUnwrap(torch.namedParameters.first { $0.name == "layers.0.bias_ih_l0" }).parameter.value
        XCTAssertLessThan(bias.scalars[16..<32].map(abs).max()!, 0.26)
        XCTAssertEqual(PyTorchInit.model(model, scheme: .pytorch, hiddenSize: 16, seed: 1).namedParameters.map(\.parameter.value),
                       torch.namedParameters.map(\.parameter.value), "seeded")
        XCTAssertEqual(PyTorchInit.model(model, scheme: .keras, hiddenSize: 16, seed: 1).namedParameters.map(\.parameter.value),
                       model.namedParameters.map(\.parameter.value), "keras leaves the built weights alone")
        XCTAssertEqual(try InitScheme.parse("both"), [.keras, .pytorch])
        XCTAssertThrowsError(try InitScheme.parse("xavier")) {
            XCTAssertEqual($0 as? ParameterError, ParameterError("initSchemes", mustBe: "keras, pytorch or both", got: "'xavier'"))
            XCTAssertEqual("\($0)", "init schemes must be keras, pytorch or both, got 'xavier'")
        }
    }

    func testPyTorchInitVanishesTheSimpleRNNGradientFasterThanTheLSTMs() throws {
        let probe = try AddingProblem.make(samples: 8, steps: 50, seed: 5)
        let rnnKeras = try snapshotAtInit(.rnn, .keras, probe: probe)
        XCTAssertEqual(rnnKeras.spectralRadius, 1, accuracy: 1e-3, "orthogonal W_hh")
        let rnnTorch = try snapshotAtInit(.rnn, .pytorch, probe: probe)
        let lstmTorch = try snapshotAtInit(.lstm, .pytorch, probe: probe)
        XCTAssertEqual(rnnTorch.spectralRadius, 1 / 3.0.squareRoot(), accuracy: 0.15, "circular law for U(−1/4, 1/4), H = 16")
        XCTAssertLessThanOrEqual(rnnTorch.norms[50] * 100, lstmTorch.norms[50],
                                 "SimpleRNN \(rnnTorch.norms[50]) vs LSTM \(lstmTorch.norms[50]) at k = 50")
        XCTAssertGreaterThan(rnnKeras.norms[50], rnnTorch.norms[50] * 1e3, "orthogonal init keeps the SimpleRNN's gradient alive")
    }
}

final class GradientStudyInitReportTests: XCTestCase {
    func testJSONKeepsKerasCellsAndAddsInitSchemes() throws {
        let config = GradientStudyConfig(cells: [.rnn, .lstm], steps: 6, probeSamples: 4,
                                         budget: AddingBudget(units: 3, trainSamples: 32, testSamples: 8, epochs: 1, batchSize: 16), clippingEpochs: 1)
        let result = try GradientStudy.run(config)
        let json = GradientReport.json(result)
        let cells = try XCTUnwrap(json["cells"] as? [String: Any])
        let kerasRNN = try XCTUnwrap(cells["rnn"] as? [String: Any])
        let schemes = try XCTUnwrap(json["init_schemes"] as? [String: Any])
        XCTAssertEqual(Set(schemes.keys), ["keras", "pytorch"])
        let torch = try XCTUnwrap(schemes["pytorch"] as? [String: Any])
        XCTAssertEqual(Set(torch.keys), ["rnn", "lstm"])
        let torchRNN = try XCTUnwrap(torch["rnn"] as? [String: Any])
        XCTAssertEqual((torchRNN["norms"] as? [Double])?.count, 7)
        XCTAssertNotEqual(torchRNN["norms"] as? [Double], kerasRNN["norms"] as? [Double], "a different init gives different norms")
        XCTAssertEqual(((schemes["keras"] as? [String: Any])?["rnn"] as? [String: Any])?["norms"] as? [Double], kerasRNN["norms"] as? [Double])
        XCTAssertTrue(GradientReport.text(result).contains("init pytorch"))
        var kerasOnly = config
        kerasOnly.initSchemes = [.keras]
        let k = try GradientStudy.run(kerasOnly)
        XCTAssertEqual(Set((GradientReport.json(k)["init_schemes"] as? [String: Any] ?? [:]).keys), ["keras"])
        XCTAssertFalse(GradientReport.text(k).contains("init pytorch"))
    }
}
