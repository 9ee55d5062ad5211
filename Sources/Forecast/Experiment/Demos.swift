import RealModule
import Recurrent

/// Data and set-ups of the lab's exercises.
public enum Demos {
    /// Exercise 1: `sin(t) + U(0, 1)·0.4` for t = 0…count−1 (seeded), as a plain-step series.
    public static func noisySine(count: Int = 500, noise: Double = 0.4, seed: UInt64 = 42) -> TimeSeries {
        var rng = SeededGenerator(seed: seed)
        let values = (0..<count).map { t in Double.sin(Double(t)) + Double(rng.nextUniform()) * noise }
        let start = LocalDateTime(year: 2000, month: 1, day: 1)
        return TimeSeries(timestamps: (0..<count).map { start.adding(days: $0) }, name: "value", values: values)
    }

    /// Exercise 1's set-up: windows of 20 → next value, 80/20 in time order, MinMax fitted on
    /// the training part, LSTM(8) → Dense(1), Adam, MSE, 100 epochs, batch 32.
    public static func sineSetup(epochs: Int = 100, seed: UInt64 = 42) -> ExperimentSetup {
        var s = ExperimentSetup(target: "value", lookback: 20, model: "lstm:8,dense:1")
        s.epochs = epochs
        s.batchSize = 32
        s.trainFraction = 0.8
        s.seed = seed
        s.seasonality = 6  // sin(t) repeats every 2π ≈ 6.28 steps
        s.movingAverageWindow = 3
        return s
    }
}
