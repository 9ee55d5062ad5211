import XCTest
@testable import Recurrent

final class EncoderDecoderTests: XCTestCase {
    /// Central finite differences of L = Σ r ⊙ prediction (teacher forced) against backward,
    /// for every parameter of the encoder, the decoder and the head.
    private func checkGradients(cell: RecurrentKind) throws {
        var model = EncoderDecoder(units: 3, outputSize: 1, cell: cell)
        try model.build(inputFeatures: 2, seed: 3)
        let x = randomTensor([2, 4, 2], seed: 1)
        let y = randomTensor([2, 3, 1], seed: 2)
        let r = randomTensor([2, 3, 1], seed: 4)
        func loss(_ m: EncoderDecoder) -> Double {
            var m = m
            let p = m.forwardTeacherForced(x, y)
            return zip(p.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        var analytic = model
        analytic.zeroGradients()
        _ = analytic.forwardTeacherForced(x, y)
        analytic.backward(r)
        let epsilon: Float = 1e-2
        var worst = 0.0, checked = 0
        var encoderSeen = false
        for (name, parameter) in analytic.namedParameters {
            for k in parameter.value.scalars.indices {
                var plus = model, minus = model
                plus.updateParameters { n, p in if n == name { p.value.scalars[k] += epsilon } }
                minus.updateParameters { n, p in if n == name { p.value.scalars[k] -= epsilon } }
                let numeric = (loss(plus) - loss(minus)) / Double(2 * epsilon)
                let exact = Double(parameter.gradient.scalars[k])
                let err = abs(numeric - exact) / max(1, abs(numeric))
                worst = max(worst, err)
                XCTAssertLessThan(err, 3e-3, "\(cell) \(name)[\(k)]: finite difference \(numeric), backward \(exact)")
                if name.hasPrefix("encoder."), abs(exact) > 1e-4 { encoderSeen = true }
                checked += 1
            }
        }
        XCTAssertEqual(checked, model.parameterCount)
        XCTAssertTrue(encoderSeen, "the encoder must receive gradient through the handed-over state")
        XCTAssertLessThan(worst, 3e-3)
    }

    func testGradientsSimpleRNN() throws { try checkGradients(cell: .rnn) }
    func testGradientsLSTM() throws { try checkGradients(cell: .lstm) }
    func testGradientsGRU() throws { try checkGradients(cell: .gru) }

    /// Continue a sine: 12 steps in, the next 6 out. Free-running predictions must beat
    /// persistence (repeat the last value) by a wide margin: MSE ≤ 0.25 × persistence's.
    func testLearnsToContinueASine() throws {
        func make(_ n: Int, seed: UInt64) -> (Tensor, Tensor) {
            var rng = SeededGenerator(seed: seed)
            var x = Tensor(shape: [n, 12, 1]), y = Tensor(shape: [n, 6, 1])
            for i in 0..<n {
                let w = 0.3 + 0.3 * rng.nextUniform(), phase = 6.28 * rng.nextUniform()
                for t in 0..<12 { x.scalars[i * 12 + t] = sinf(w * Float(t) + phase) }
                for t in 0..<6 { y.scalars[i * 6 + t] = sinf(w * Float(12 + t) + phase) }
            }
            return (x, y)
        }
        let (x, y) = make(256, seed: 1), (tx, ty) = make(64, seed: 2)
        var model = EncoderDecoder(units: 16)
        var adam = Adam(learningRate: 0.01)
        let losses = try model.fit(x, y, optimizer: &adam, options: .init(epochs: 25, batchSize: 32, seed: 5))
        XCTAssertEqual(losses.count, 25)
        XCTAssertLessThan(losses.last!, losses.first! * 0.5)
        let mse = try model.evaluate(tx, ty)
        var persistence = 0.0
        for i in 0..<64 { for t in 0..<6 { let d = Double(ty.scalars[i * 6 + t] - tx.scalars[i * 12 + 11]); persistence += d * d } }
        persistence /= 64 * 6
        XCTAssertLessThan(mse, 0.25 * persistence, "encoder–decoder MSE \(mse), persistence \(persistence)")
        let p = try model.predict(tx, steps: 9)
        XCTAssertEqual(p.shape, [64, 9, 1])
    }

    func testSameSeedSameWeights() throws {
        let x = randomTensor([8, 5, 1], seed: 1), y = randomTensor([8, 3, 1], seed: 2)
        var a = EncoderDecoder(units: 4), b = EncoderDecoder(units: 4)
        var o1 = Adam(learningRate: 0.01), o2 = Adam(learningRate: 0.01)
        try a.fit(x, y, optimizer: &o1, options: .init(epochs: 2, batchSize: 3, seed: 9))
        try b.fit(x, y, optimizer: &o2, options: .init(epochs: 2, batchSize: 3, seed: 9))
        XCTAssertEqual(a.namedParameters.map(\.parameter.value), b.namedParameters.map(\.parameter.value))
        XCTAssertEqual(a.namedParameters.map(\.name).first, "encoder.weight_ih_l0")
    }

    /// The `TrainingDiverged` contract (History.swift): the model holds the weights of the
    /// start of `fit` when the first epoch diverges. Before the one training loop,
    /// `EncoderDecoder.fit` threw with the blown-up weights still in the model.
    func testDivergenceInTheFirstEpochRestoresTheStartingWeights() throws {
        let x = randomTensor([8, 5, 1], seed: 1), y = randomTensor([8, 3, 1], seed: 2)
        var model = EncoderDecoder(units: 4)
        try model.build(inputFeatures: 1, seed: 3)
        let initial = model.namedParameters.map(\.parameter.value)
        var sgd = SGD(learningRate: 1e30)
        XCTAssertThrowsError(try model.fit(x, y, optimizer: &sgd, options: .init(epochs: 3, batchSize: 2, seed: 4, clipping: nil))) { error in
            guard let e = error as? TrainingDiverged else { return XCTFail("\(error)") }
            XCTAssertTrue(e.message.hasPrefix("non-finite "), e.message)
            XCTAssertTrue(e.message.contains("at epoch 1, batch "), e.message)
            XCTAssertNil(e.restoredEpoch)
            XCTAssertEqual(e.history.epochsRun, 0)
        }
        XCTAssertEqual(model.namedParameters.map(\.parameter.value), initial)
        XCTAssertEqual(sgd.iterations, 0, "the optimizer is put back too")
    }

    /// A later epoch diverges: the weights are those at the end of the last good epoch, equal
    /// to a run that stops there.
    func testDivergenceInALaterEpochRestoresTheEndOfTheLastGoodEpoch() throws {
        let x = randomTensor([8, 5, 1], seed: 1), y = randomTensor([8, 3, 1], seed: 2)
        var model = EncoderDecoder(units: 4)
        try model.build(inputFeatures: 1, seed: 3)
        var reference = model
        // Epoch 0 trains at 0.01, epoch 1 at 1e28.
        let options = FitOptions(epochs: 3, batchSize: 2, seed: 4, schedule: .exponential(rate: 1e30), progress: .none)
        var sgd = SGD(learningRate: 0.01)
        XCTAssertThrowsError(try model.fit(x, y, loss: .meanSquaredError, optimizer: &sgd, options: options)) { error in
            guard let e = error as? TrainingDiverged else { return XCTFail("\(error)") }
            XCTAssertTrue(e.message.contains("at epoch 2, batch"), e.message)
            XCTAssertEqual(e.restoredEpoch, 1)
            XCTAssertEqual(e.history.epochsRun, 1)
            if case .nonFinite(let m) = e.history.stopReason { XCTAssertEqual(m, e.message) } else { XCTFail("stop reason") }
        }
        var sgd2 = SGD(learningRate: 0.01)
        var oneEpoch = options
        oneEpoch.epochs = 1
        try reference.fit(x, y, loss: .meanSquaredError, optimizer: &sgd2, options: oneEpoch)
        XCTAssertEqual(model.namedParameters.map(\.parameter.value), reference.namedParameters.map(\.parameter.value))
        XCTAssertEqual(sgd.exportState(), sgd2.exportState())
    }

    func testBadInputsThrow() throws {
        var model = EncoderDecoder(units: 4, outputSize: 2)
        XCTAssertThrowsError(try model.predict(Tensor(shape: [1, 3, 2]), steps: 2))  // not built
        XCTAssertThrowsError(try model.build(inputFeatures: 1, seed: 0))            // fewer features than outputs
        try model.build(inputFeatures: 2, seed: 0)
        XCTAssertThrowsError(try model.predict(Tensor(shape: [1, 3, 5]), steps: 2))
        XCTAssertThrowsError(try model.predict(Tensor(shape: [1, 3, 2]), steps: 0))
        var adam = Adam()
        XCTAssertThrowsError(try model.fit(Tensor(shape: [2, 3, 2]), Tensor(shape: [2, 4, 1]), optimizer: &adam))  // O = 2
        XCTAssertThrowsError(try model.fit(Tensor(shape: [2, 3, 2]), Tensor(shape: [2, 4, 2]), optimizer: &adam, options: .init(epochs: 0)))
    }
}
