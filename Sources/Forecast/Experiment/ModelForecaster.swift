import Recurrent

/// Turns a trained model into forecasts on prepared windows: one step, direct multi-output,
/// or recursive (each prediction fed back as the next input).
struct ModelForecaster {
    let model: Sequential
    let setup: ExperimentSetup

    /// Scaled, transformed predictions `[N][H]` for the windows `inputs [N, L, F]` whose
    /// first target times are `firstTargetTimes` (for calendar inputs of recursive steps).
    func predictPaths(inputs: Tensor, firstTargetTimes: [LocalDateTime?], steps: Int) throws -> [[Double]] {
        let n = inputs.shape[0]
        let out = try model.predict(inputs, batchSize: 1024)
        let width = out.count / max(n, 1)
        if setup.direct {
            return (0..<n).map { i in (0..<min(width, steps)).map { Double(out.scalars[i * width + $0]) } }
        }
        guard steps > 1 else { return (0..<n).map { [Double(out.scalars[$0 * width])] } }
        guard setup.modelFeatures.isEmpty else {
            throw ExperimentError.setting(.recursiveForecastNeedsFutureInputs(steps: steps, features: setup.modelFeatures))
        }
        // Recursive: slide each window by one step, append the prediction and the calendar
        // features of the step it predicts.
        let l = inputs.shape[1], f = inputs.shape[2]
        var window = inputs
        var paths = (0..<n).map { [Double(out.scalars[$0 * width])] }
        var times = firstTargetTimes
        let calendar = setup.calendarFeatures
        for _ in 1..<steps {
            for i in 0..<n {
                let base = i * l * f
                for k in 0..<((l - 1) * f) { window.scalars[base + k] = window.scalars[base + f + k] }
                let last = base + (l - 1) * f
                window.scalars[last] = Float(paths[i].last!)
                if let t = times[i] {
                    let values = calendar.values(at: t)
                    for (k, v) in values.enumerated() { window.scalars[last + 1 + k] = Float(v) }
                }
            }
            let next = model.infer(window)
            for i in 0..<n { paths[i].append(Double(next.scalars[i])) }
            times = times.map { t in t.flatMap { setup.frequency?.next(after: $0) } }
        }
        // The calendar features appended at step k are those of the step being predicted.
        return paths
    }
}
