import Foundation
import Recurrent

/// A trained forecasting model on disk: the network plus the set-up and fitted scalings
/// (JSON under the metadata key `recurrent.forecast`, stored once), so new data is prepared
/// exactly as the training data was. Files written before the set-up was stored once also
/// carry a copy under `recurrent.training`; it is ignored.
public enum ForecastModelFile {
    public static let metadataKey = "recurrent.forecast"

    struct Stored: Codable {
        var setup: ExperimentSetup
        var scalings: [AffineScaling]
    }

    /// Saves `model` with `setup` and `scalings`, atomically.
    public static func save(_ model: Sequential, setup: ExperimentSetup, scalings: [AffineScaling], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(Stored(setup: setup, scalings: scalings)), as: UTF8.self)
        try ModelFile.save(model, to: url, metadata: [metadataKey: json])
    }

    /// Loads a model saved by `save`; a plain model file (no set-up) is rejected with a
    /// message saying so.
    public static func load(from url: URL) throws -> (model: Sequential, setup: ExperimentSetup, scalings: [AffineScaling]) {
        let contents = try ModelFile.read(from: url)
        guard let json = contents.metadata[metadataKey] else {
            throw ExperimentError.incompatibleModel("\(url.lastPathComponent) has no forecasting set-up (it was not saved by rnn train/demo); use rnn predict with arrays instead")
        }
        do {
            let stored = try JSONDecoder().decode(Stored.self, from: Data(json.utf8))
            return (contents.model, stored.setup, stored.scalings)
        } catch {
            throw ExperimentError.incompatibleModel("\(url.lastPathComponent): unreadable forecasting set-up: \(error)")
        }
    }
}
