/// What `rnn train` uses when the command line leaves the model and the split out: chosen
/// from the measurements in bench/forecast-quality (README, "Forecast quality").
public enum ForecastDefaults {
    /// LSTM(32) beside an AR highway fixed at the least-squares AR (the LSTM's output layer starts
    /// at zero and learns what the linear model misses), inputs normalised per window (RevIN).
    public static let model = "ar:frozen,revin,lstm:32,dense:1"
    /// Differencing decided by the ADF test on the training rows.
    public static let transform = TransformKind.auto
    public static let trainFraction = 0.7
    public static let validationFraction = 0.15
    /// What the training and validation parts leave for the test part.
    public static var testFraction: Double { 1 - trainFraction - validationFraction }
    public static let epochs = 50
    public static let earlyStoppingPatience = 5
    /// Seed ensemble size.
    public static let ensemble = 1

    /// Two seasons of the calendar (at least 8 and at most 96 steps), and at most a tenth
    /// of the rows (at least 2).
    public static func lookback(period: Int, rows: Int) -> Int {
        let seasonal = min(96, max(8, 2 * period))
        return max(2, min(seasonal, rows / 10))
    }

    /// One line for logs and reports.
    public static var summary: String {
        "model \(model), transform \(transform), split \(Int(trainFraction * 100))/\(Int(validationFraction * 100))/\(Int(((1 - trainFraction - validationFraction) * 100).rounded())) %, up to \(epochs) epochs with early stopping (patience \(earlyStoppingPatience))\(ensemble > 1 ? ", ensemble of \(ensemble)" : "")"
    }
}
