import Foundation
import Recurrent

/// README.md's library example ("## The library"), copied verbatim between the markers so
/// that it is compiled and run by the tests; `ReadmeLibraryExampleTests` checks that the
/// README still shows exactly this code (after its two import lines).
enum ReadmeLibraryExample {
    struct Outcome {
        var history: History
        var prediction: Tensor
        var reloadedPrediction: Tensor
        var next: Float
    }

    static func run() throws -> Outcome {
        // README BEGIN
        // Tensors are flat Float arrays with a shape. Here: 500 windows of 30 steps of a sine
        // wave, x [500, 30, 1], and the value that follows each window, y [500, 1].
        let wave = (0..<600).map { Float(sin(Double($0) * 0.2)) }
        var windows: [Float] = [], targets: [Float] = []
        for start in 0..<500 {
            windows += wave[start..<start + 30]
            targets.append(wave[start + 30])
        }
        let x = Tensor(shape: [500, 30, 1], scalars: windows)
        let y = Tensor(shape: [500, 1], scalars: targets)
        let xTest = Tensor(shape: [1, 30, 1], scalars: Array(wave[570..<600]))   // the last 30 steps

        var model = Sequential {
            LSTM(32, returnSequences: true)
            Dropout(0.2)
            LSTM(32)
            Dense(1)
        }
        try model.build(inputShape: [30, 1], seed: 42)
        print(model.summary())

        var adam = Adam(learningRate: 0.01)
        let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
                                    options: FitOptions(epochs: 10, batchSize: 32, seed: 42,
                                                        validation: .split(0.1),
                                                        earlyStopping: EarlyStopping(patience: 3, restoreBestWeights: true),
                                                        clipping: .globalNorm(1)))
        print(history["val_loss"])                           // one value per epoch

        let prediction = try model.predict(xTest)            // [1, 1]: the step after the wave
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("model.safetensors")
        try model.save(to: file)
        let same = try Sequential.load(from: file)
        // README END
        return Outcome(history: history, prediction: prediction, reloadedPrediction: try same.predict(xTest),
                       next: Float(sin(600 * 0.2)))
    }
}
