import Forecast
import Recurrent

/// The stored preparation of a forecasting model as graph operations, so the exported model
/// takes the last rows of the series and returns forecasts, both in original units.
///
/// Input `series [B, S, F]`: columns target, extra features, calendar sin/cos (as
/// `rnn train` orders them), S = lookback, or lookback + 1 with differencing or log-returns
/// (the step before the window is needed for the first change; the other columns of that
/// step are not used). Before the network: the change of the target column, then
/// `offset + factor · x` per scaled column (calendar columns are not scaled). After it:
/// `(y − offset) / factor` of the target, then for changes the path from the last level
/// (`last + cumsum(d)`, or `last · exp(cumsum(r))` for log-returns).
struct PreparationExport {
    let setup: ExperimentSetup
    let scalings: [AffineScaling]
    let change: TargetTransform
    let columns: [String]

    init(setup: ExperimentSetup, scalings: [AffineScaling], architecture: ModelArchitecture, file: String) throws {
        func refuse(_ setting: String, _ reason: String) -> ONNXExportError {
            .unsupportedSetting(file: file, setting: setting, reason: reason)
        }
        guard setup.transform != .auto else {
            throw refuse("transform", "'\(setup.transform)' has no graph form (none, difference and log-return do)")
        }
        change = setup.transform.targetTransform
        // Both scalers (minmax, standard) are affine: (y − offset) / factor.
        let calendar = setup.calendarFeatures
        columns = [setup.target] + setup.features + calendar.names
        guard scalings.count == 1 + setup.features.count else {
            throw refuse("scalings", "\(scalings.count) fitted scalings stored for \(1 + setup.features.count) columns")
        }
        guard architecture.inputShape == [setup.lookback, columns.count] else {
            throw refuse("lookback", "the network takes \(architecture.inputShape), the set-up [\(setup.lookback), \(columns.count)] (\(columns.joined(separator: ", ")))")
        }
        self.setup = setup
        self.scalings = scalings
    }

    /// Steps the graph input holds.
    var inputSteps: Int { setup.lookback + (change == .none ? 0 : 1) }

    /// Values per forecast: the horizon for a direct model, else one step.
    var outputWidth: Int { setup.direct ? setup.horizon : 1 }

    /// The network's input `[B, L, F]` from the series window `[B, S, F]`.
    func prepareInput(_ series: String, into g: inout GraphBuilder) -> String {
        let l = Int64(setup.lookback), f = Int64(columns.count)
        var x = series
        if change != .none {
            let current = g.slice(series, starts: [1, 0], ends: [l + 1, 1], axes: [1, 2], base: "prep.target_now")
            let previous = g.slice(series, starts: [0, 0], ends: [l, 1], axes: [1, 2], base: "prep.target_before")
            let changed = change == .difference
                ? g.op("Sub", current, previous, base: "prep.target_difference")
                : g.op("Log", g.op("Div", current, previous, base: "prep.target_ratio"), base: "prep.target_log_return")
            if f > 1 {
                let others = g.slice(series, starts: [1, 1], ends: [l + 1, f], axes: [1, 2], base: "prep.other_columns")
                x = g.concat([changed, others], axis: 2, base: "prep.changed")
            } else {
                x = changed
            }
        }
        var factors = [Float](repeating: 1, count: columns.count), offsets = [Float](repeating: 0, count: columns.count)
        for (c, s) in scalings.enumerated() {
            factors[c] = Float(s.factor)
            offsets[c] = Float(s.offset)
        }
        let scaled = g.op("Mul", x, g.constant("prep.scale_factor", factors, dims: [columns.count]), base: "prep.scaled_times_factor")
        return g.op("Add", scaled, g.constant("prep.scale_offset", offsets, dims: [columns.count]), base: "prep.network_input")
    }

    /// Forecasts `[B, outputWidth]` in original units from the network's output.
    func finishOutput(_ y: String, series: String, outputName: String, into g: inout GraphBuilder) -> String {
        let target = scalings[0]
        let shifted = g.op("Sub", y, g.constant("prep.target_offset", [Float(target.offset)], dims: [1]), base: "prep.output_minus_offset")
        let unscaled = g.op("Div", shifted, g.constant("prep.target_factor", [Float(target.factor)], dims: [1]),
                            base: change == .none ? outputName : "prep.output_unscaled")
        guard change != .none else { return unscaled }
        let s = Int64(inputSteps)
        let last = g.squeeze(g.slice(series, starts: [s - 1, 0], ends: [s, 1], axes: [1, 2], base: "prep.last_level_3d"), axes: [2], base: "prep.last_level")
        let path = outputWidth > 1 ? g.op("CumSum", unscaled, g.scalarInt(1), base: "prep.cumulative_change") : unscaled
        return change == .difference
            ? g.op("Add", last, path, base: outputName)
            : g.op("Mul", last, g.op("Exp", path, base: "prep.growth"), base: outputName)
    }
}
