import Foundation
import Recurrent

/// Saves the model after every epoch (atomically, with its set-up and scalings), so an
/// interrupted run loses at most the epoch in progress.
public struct CheckpointCallback: TrainingCallback {
    public let url: URL
    let setup: ExperimentSetup
    let scalings: [AffineScaling]

    public func onEpochEnd(_ context: EpochContext, stop: inout Bool) throws {
        try ForecastModelFile.save(context.model, setup: setup, scalings: scalings, to: url)
    }
}
