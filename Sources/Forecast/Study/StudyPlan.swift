import Foundation
import Recurrent

/// A complete study: the data it reads, the grid, the seeds. Stored as `DIR/study.json`;
/// a rerun or a merge must describe the same study.
public struct StudyPlan: Codable, Equatable, Sendable {
    /// File name of the data (not the full path, so shards on other machines agree).
    public var dataName: String
    /// The modelled series: hourly, or daily means (stored as `hourly` / `daily`).
    public var frequency: StudyTarget
    /// The forecast column.
    public var column: String
    public var unit: String
    public var lookback: Int
    public var horizon: Int
    /// Seeds are 1…seeds.
    public var seeds: Int
    public var grid: StudyGrid
    /// File names of the CSVs whose columns were joined to the data by time stamp (`--join`); nil: none.
    public var joinedData: [String]?

    public init(dataName: String, frequency: StudyTarget, column: String, unit: String, lookback: Int, horizon: Int,
                seeds: Int, grid: StudyGrid) {
        self.dataName = dataName; self.frequency = frequency; self.column = column; self.unit = unit
        self.lookback = lookback; self.horizon = horizon; self.seeds = seeds; self.grid = grid
    }

    /// Every trial: architecture-major, seeds 1…K within each.
    public var trials: [StudyTrial] {
        var out: [StudyTrial] = []
        for a in grid.architectures {
            for s in 1...max(1, seeds) { out.append(StudyTrial(index: out.count, architecture: a.name, seed: UInt64(s))) }
        }
        return out
    }

    /// The deterministic slice `i` of `n` (1-based): trials whose index ≡ i − 1 (mod n).
    public func trials(shard: Int, of count: Int) -> [StudyTrial] {
        trials.filter { $0.index % count == shard - 1 }
    }

    public func architecture(_ name: String) -> StudyArchitecture? { grid.architectures.first { $0.name == name } }

    /// The experiment set-up of one trial: 70/15/15 chronological split, early stopping on
    /// the validation loss.
    public func setup(_ a: StudyArchitecture, seed: UInt64) -> ExperimentSetup {
        var s = ExperimentSetup(target: column, lookback: lookback, model: a.spec)
        s.unit = unit
        s.frequency = frequency.frequency
        s.horizon = horizon
        s.direct = a.direct
        s.trainFraction = 0.70
        s.validationFraction = 0.15
        s.calendar = a.calendar ?? grid.calendar
        s.features = a.features ?? []
        s.futureFeatures = a.futureFeatures
        s.featureGaps = grid.featureGaps
        s.transform = grid.transform
        s.scaler = grid.scaler
        s.epochs = grid.epochs
        s.batchSize = grid.batchSize
        s.optimizer = grid.optimizer
        s.learningRate = grid.learningRate
        s.loss = grid.loss
        s.clipNorm = grid.clipNorm
        s.earlyStoppingPatience = grid.patience
        s.seed = seed
        return s
    }

    /// The most seeds per architecture a study may ask for.
    public static let maxSeeds = 1_000

    /// Checks every setting and builds every architecture on the input shape it will get,
    /// so a bad spec, head width or key stops the study before any training.
    public func validate() throws {
        guard (1...Self.maxSeeds).contains(seeds) else { throw SettingProblem.seedsOutOfRange(seeds, max: Self.maxSeeds) }
        guard grid.patience >= 1 else { throw StudyError.invalid("patience must be at least 1, got \(grid.patience)") }
        var names = Set<String>()
        for a in grid.architectures {
            guard !a.name.isEmpty, a.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_+.".contains($0) }) else {
                throw StudyError.architecture(a.name, "names may use letters, digits, - _ + . only")
            }
            guard names.insert(a.name).inserted else { throw StudyError.architecture(a.name, "the name is used twice") }
            let setup = self.setup(a, seed: 1)
            do { try setup.validate() } catch let e as ModelSpec.ParseError {
                throw StudyError.architecture(a.name, "bad SPEC: \(e)")
            } catch { throw StudyError.architecture(a.name, "\(error)") }
            let model = try ModelSpec.model(a.spec)
            try checkCovariates(a)
            let features = inputWidth(a)
            let outputShape: [Int]
            do { outputShape = try model.plan(inputShape: [lookback, features]).outputShape } catch {
                throw StudyError.architecture(a.name, "spec '\(a.spec)' cannot be built on [\(lookback), \(features)] inputs: \(error)")
            }
            let width = a.direct ? horizon : 1
            guard outputShape == [width] else {
                throw StudyError.architecture(a.name, "spec '\(a.spec)' outputs \(outputShape) per window; \(a.direct ? "a direct head for horizon \(horizon)" : "a one-step model") needs dense:\(width) at the end")
            }
        }
    }

    /// Parameter count of an architecture.
    public func parameterCount(_ a: StudyArchitecture) -> Int {
        let inputShape = [lookback, inputWidth(a)]
        guard let model = try? ModelSpec.model(a.spec), let plan = try? model.plan(inputShape: inputShape) else { return 0 }
        if let count = plan.parameterCount { return count }
        var built = model
        return (try? built.build(inputShape: inputShape, seed: 1)) != nil ? built.parameterCount : 0
    }
}

/// One training run: an architecture and a seed.
public struct StudyTrial: Equatable, Sendable {
    /// Position in `StudyPlan.trials` (what shards slice).
    public var index: Int
    public var architecture: String
    public var seed: UInt64
    /// `name#seed`, the key of `trials.jsonl`.
    public var id: String { "\(architecture)#\(seed)" }
}
