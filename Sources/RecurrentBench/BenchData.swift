import RealModule
import Recurrent
/// Seeded synthetic windows for the benchmarks: a noisy sum of two sines, cut into
/// `lookback`-step windows with the next value as the target. Same seed ⇒ same bytes, so
/// `rnn bench --export-data` gives the peers exactly the windows Recurrent trains on.
public enum BenchData {
    /// - Returns: x `[N, T, 1]` and y `[N, 1]` with N = `windows`, T = `lookback`.
    public static func windows(count: Int, lookback: Int, seed: UInt64 = 42) -> (x: Tensor, y: Tensor) {
        precondition(count > 0 && lookback > 0, "benchmark data needs windows and a lookback")
        var rng = SeededGenerator(seed: seed)
        let length = count + lookback
        var series = [Float](repeating: 0, count: length)
        for i in 0..<length {
            let t = Float(i)
            series[i] = 0.6 * Float.sin(t * 0.07) + 0.3 * Float.sin(t * 0.31 + 1) + 0.1 * rng.nextNormal()
        }
        var x = [Float](repeating: 0, count: count * lookback)
        var y = [Float](repeating: 0, count: count)
        for n in 0..<count {
            for s in 0..<lookback { x[n * lookback + s] = series[n + s] }
            y[n] = series[n + lookback]
        }
        return (Tensor(shape: [count, lookback, 1], scalars: x), Tensor(shape: [count, 1], scalars: y))
    }

    public static func windows(for config: BenchConfiguration, seed: UInt64 = 42) -> (x: Tensor, y: Tensor) {
        windows(count: config.windows, lookback: config.lookback, seed: seed)
    }
}

