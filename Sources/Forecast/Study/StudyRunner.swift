import Charts
import Foundation
import Recurrent

/// Runs a study's trials, `workers` at a time, appending each finished trial to
/// `trials.jsonl` at once and skipping trials already there (so a killed study resumes).
public struct StudyRunner: Sendable {
    public var plan: StudyPlan
    /// The cleaned series the study reads (column `plan.column`).
    public var series: TimeSeries
    public var folder: StudyFolder
    /// Trials trained at the same time (each on its own thread).
    public var workers: Int = 2
    /// Threads each trial's matrix products use; nil leaves the kernel setting alone.
    /// With 2 workers on 2 cores, 1 is the sensible choice.
    public var gemmThreads: Int? = nil
    /// `(i, n)`: run only slice i of n (1-based).
    public var shard: (index: Int, count: Int)? = nil
    /// Stamped on each trial record: the host and the batch job it ran in.
    public var host: String? = nil
    public var job: String? = nil
    /// Where progress lines go.
    public var log: @Sendable (String) -> Void = { _ in }
    /// The linear ARX baselines of covariate architectures (set by `run`).
    var studyBaselines: [StudyReference.Baseline] = []

    public init(plan: StudyPlan, series: TimeSeries, folder: StudyFolder) {
        self.plan = plan; self.series = series; self.folder = folder
    }

    /// What a run did.
    public struct Outcome: Equatable, Sendable {
        public var trained: Int
        public var skipped: Int
        public var failed: Int
    }

    /// Trains every trial of this shard that `trials.jsonl` does not hold yet.
    public func run() throws -> Outcome {
        try plan.validate()
        if let s = shard, !(s.count >= 1 && (1...s.count).contains(s.index)) {
            throw SettingProblem.shardOutOfRange(index: s.index, count: s.count)
        }
        let study = try StudyCovariates.prepared(self)
        try study.checkData()
        if let before = try folder.prepare(plan) {
            log("study: extending \(folder.url.path) from \(counted(before, "seed")) to \(plan.seeds); finished trials are kept")
        }
        try folder.dropPartialLastLine()
        let done = Set(try folder.readTrials().map(\.id))
        let mine = shard.map { plan.trials(shard: $0.index, of: $0.count) } ?? plan.trials
        let todo = mine.filter { !done.contains($0.id) }
        log("study: \(counted(mine.count, "trial")) in this \(shard.map { "shard \($0.index)/\($0.count)" } ?? "run"), \(mine.count - todo.count) already finished, \(todo.count) to train on \(min(workers, max(1, todo.count))) worker(s)")
        if let t = gemmThreads { Kernels.threads = t }
        let state = RunState(todo: todo)
        let workerCount = max(1, min(workers, todo.count))
        if !todo.isEmpty {
            DispatchQueue.concurrentPerform(iterations: workerCount) { _ in study.work(state) }
        }
        if let e = state.firstError { throw e }
        return Outcome(trained: state.finished, skipped: mine.count - todo.count, failed: state.failures)
    }

    /// Cuts the first architecture's windows before anything is written, so data that cannot
    /// serve the plan (too short, wrong grid) fails with nothing left in the folder.
    func checkData() throws {
        guard let a = plan.grid.architectures.first else { return }
        do { _ = try PreparedData(series: series, setup: plan.setup(a, seed: 1)) } catch let e as ExperimentError {
            throw StudyError.invalid("the data cannot serve this study: \(e)")
        }
    }

    private func stamp(_ record: inout TrialRecord, seconds: Double) {
        record.host = host
        record.shard = shard.map { "\($0.index)/\($0.count)" }
        record.job = job
        record.trialSeconds = seconds
    }

    private func work(_ state: RunState) {
        while let (trial, position) = state.next() {
            let a = plan.architecture(trial.architecture)!
            let setup = plan.setup(a, seed: trial.seed)
            log("[\(position)/\(state.total)] \(trial.id) started")
            let started = Date()
            var record: TrialRecord
            var reference: StudyReference?
            do {
                let r = try a.columns == nil ? Experiment.run(series: series, setup: setup, progress: .none)
                    : StudyCovariates.runGlobal(series: series, plan: plan, architecture: a, seed: trial.seed)
                record = TrialRecord(trial: trial, architecture: a, result: r)
                reference = StudyReference(r).withStudyBaselines(studyBaselines)
                log(String(format: "[%d/%d] %@: test RMSE %.3f, %d epochs, %.1f s", position, state.total, trial.id, record.rmse, record.epochs, record.seconds))
            } catch let e as ExperimentError {
                state.fail(e)
                return
            } catch {
                record = TrialRecord(trial: trial, architecture: a, failure: "\(error)", parameters: plan.parameterCount(a))
                log("[\(position)/\(state.total)] \(trial.id) failed: \(error)")
            }
            stamp(&record, seconds: Date().timeIntervalSince(started))
            state.withLock {
                do {
                    if let reference, !FileManager.default.fileExists(atPath: folder.referenceURL.path) {
                        try folder.writeReference(reference)
                    }
                    try folder.append(record)
                    state.finishedUnlocked(failed: record.error != nil)
                    log(state.progressUnlocked())
                } catch {
                    state.failUnlocked(error)
                }
            }
        }
    }
}

/// The shared queue of a run: the next trial, counters, the first error (which stops
/// further trials).
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [StudyTrial]
    private var started = 0
    let total: Int
    private(set) var finished = 0
    private(set) var failures = 0
    private(set) var firstError: Error?

    private let start = Date()

    init(todo: [StudyTrial]) { queue = todo; total = todo.count }

    /// `study: 3 of 12 trials done (25%), 41 s so far, about 2 min left`: the remaining time
    /// is the wall time per finished trial so far times the trials left.
    func progressUnlocked() -> String {
        let elapsed = Date().timeIntervalSince(start)
        let left = total - finished
        var text = "study: \(finished) of \(counted(total, "trial")) done (\(finished * 100 / max(total, 1))%), \(StudyDuration.text(elapsed)) so far"
        if left > 0, finished > 0 { text += ", about \(StudyDuration.text(elapsed / Double(finished) * Double(left))) left" }
        return text
    }

    func next() -> (StudyTrial, Int)? {
        lock.lock(); defer { lock.unlock() }
        guard firstError == nil, started < queue.count else { return nil }
        started += 1
        return (queue[started - 1], started)
    }

    func withLock(_ body: () -> Void) { lock.lock(); body(); lock.unlock() }
    func finishedUnlocked(failed: Bool) { finished += 1; if failed { failures += 1 } }
    func failUnlocked(_ e: Error) { if firstError == nil { firstError = e } }
    func fail(_ e: Error) { withLock { failUnlocked(e) } }
}

/// A duration for progress lines: `41 s`, `3 min`, `1 h 05 min`.
enum StudyDuration {
    static func text(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        let minutes = Int((seconds / 60).rounded())
        return minutes < 60 ? "\(minutes) min" : String(format: "%d h %02d min", minutes / 60, minutes % 60)
    }
}
