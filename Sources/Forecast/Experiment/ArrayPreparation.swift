import Recurrent

/// The stored preparation of a forecasting model applied to a bare array, for `rnn predict`:
/// inputs `[batch, time, features]` in original units are scaled with the model's fitted
/// scalings (target first, then the extra features), and the model's outputs are scaled back
/// into the target's original units.
///
/// Only a model of levels whose inputs are all scaled columns can be prepared this way. A
/// model that predicts a change (`--transform`) needs the last level of each window, and
/// calendar inputs need time stamps: those are refused, and `rnn forecast` (which reads the
/// dated series) is the tool for them.
public struct ArrayPreparation: Sendable {
    public let scalings: [AffineScaling]
    public let inputColumns: [String]

    public init(setup: ExperimentSetup, scalings: [AffineScaling]) throws {
        guard setup.targetTransform == .none else {
            throw ExperimentError.setting(.arrayCannotUndoTransform(setup.transform, target: setup.target))
        }
        guard setup.calendarFeatures.isEmpty else {
            throw ExperimentError.setting(.arrayNeedsCalendarInputs(setup.calendar))
        }
        guard !scalings.isEmpty else { throw ExperimentError.incompatibleModel("the model file stores no scalings") }
        self.scalings = scalings
        inputColumns = scalings.map(\.column)
    }

    /// Inputs in original units → the scaled inputs the model was trained on.
    public func scaleInputs(_ x: Tensor) throws -> Tensor {
        let f = x.shape.last ?? 0
        guard f == scalings.count else {
            throw ExperimentError.incompatibleModel("the model takes \(scalings.count) input column(s) per step (\(inputColumns.joined(separator: ", "))), the array has \(f)")
        }
        var out = x
        for i in out.scalars.indices { out.scalars[i] = Float(scalings[i % f].transform(Double(x.scalars[i]))) }
        return out
    }

    /// Model outputs (the scaled target) → the target in original units.
    public func unscaleOutputs(_ y: Tensor) -> Tensor {
        var out = y
        for i in out.scalars.indices { out.scalars[i] = Float(scalings[0].inverse(Double(y.scalars[i]))) }
        return out
    }

    /// One sentence for stderr.
    public var summary: String {
        "scaled the input columns (\(inputColumns.joined(separator: ", "))) with the model's stored scalings and wrote the output in \(inputColumns[0])'s original units"
    }
}
