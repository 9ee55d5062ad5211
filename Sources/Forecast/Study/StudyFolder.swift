import Charts
import Foundation

/// A study's output folder: `study.json` (the plan), `trials.jsonl` (one finished trial per
/// line, appended and flushed as each ends), `reference.json` (test part and baselines) and
/// the reports.
public struct StudyFolder: Sendable {
    public let url: URL
    public var planURL: URL { url.appendingPathComponent("study.json") }
    public var trialsURL: URL { url.appendingPathComponent("trials.jsonl") }
    public var referenceURL: URL { url.appendingPathComponent("reference.json") }

    public init(_ url: URL) { self.url = url }

    /// Creates the folder and stores `plan`, or checks that the folder holds the same study.
    /// The same study with more seeds extends it: `study.json` is rewritten with the new
    /// count and the finished trials are kept.
    /// - Returns: the seeds the folder held before, when this call extended the study.
    @discardableResult
    public func prepare(_ plan: StudyPlan) throws -> Int? {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard FileManager.default.fileExists(atPath: planURL.path) else {
            try writeAtomically(try StudyJSON.encoder(pretty: true).encode(plan), to: planURL)
            return nil
        }
        let stored = try readPlan()
        if stored == plan { return nil }
        var sameButSeeds = stored
        sameButSeeds.seeds = plan.seeds
        guard sameButSeeds == plan else {
            throw SettingProblem.differentStudy(folder: url.path, planFile: planURL.lastPathComponent)
        }
        guard plan.seeds > stored.seeds else {
            throw SettingProblem.seedsCannotShrink(folder: url.path, stored: stored.seeds)
        }
        try writeAtomically(try StudyJSON.encoder(pretty: true).encode(plan), to: planURL)
        return stored.seeds
    }

    public func readPlan() throws -> StudyPlan {
        guard let data = FileManager.default.contents(atPath: planURL.path) else {
            throw StudyError.invalid("\(planURL.path): missing; is \(url.path) a study folder?")
        }
        do { return try StudyJSON.decoder().decode(StudyPlan.self, from: data) } catch {
            throw StudyError.invalid("\(planURL.path): not a study plan (\(error))")
        }
    }

    /// Finished trials in file order. A last line without its newline (a write cut short by
    /// a kill) is ignored; any other unreadable line is an error naming it.
    public func readTrials() throws -> [TrialRecord] {
        guard let data = FileManager.default.contents(atPath: trialsURL.path) else { return [] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if data.last != UInt8(ascii: "\n") { lines.removeLast() } else { lines.removeLast() }
        let decoder = StudyJSON.decoder()
        var out: [TrialRecord] = []
        var lineOf: [String: Int] = [:]
        for (i, line) in lines.enumerated() where !line.isEmpty {
            let record: TrialRecord
            do { record = try decoder.decode(TrialRecord.self, from: Data(line)) } catch {
                throw StudyError.trials(trialsURL.path, i + 1, "not a trial record (\(error)); delete the line to redo that trial")
            }
            // A trial twice would count twice in the table: an exact repeat is dropped, a
            // different result for the same trial is an error.
            if let first = lineOf[record.id] {
                guard out.first(where: { $0.id == record.id }).map({ Self.sameResult($0, record) }) == true else {
                    throw StudyError.trials(trialsURL.path, i + 1, "trial \(record.id) is already on line \(first) with other results; delete one of the two lines")
                }
                continue
            }
            lineOf[record.id] = i + 1
            out.append(record)
        }
        return out
    }

    /// Cuts a partial last line left by a kill, so the next append starts a fresh line.
    public func dropPartialLastLine() throws {
        guard let data = FileManager.default.contents(atPath: trialsURL.path), let last = data.last,
              last != UInt8(ascii: "\n") else { return }
        let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let handle = try FileHandle(forWritingTo: trialsURL)
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(keep))
        try handle.synchronize()
    }

    /// Appends one record as one JSON line and flushes it to disk.
    public func append(_ record: TrialRecord) throws {
        var line = try StudyJSON.encoder().encode(record)
        line.append(UInt8(ascii: "\n"))
        if !FileManager.default.fileExists(atPath: trialsURL.path) {
            _ = FileManager.default.createFile(atPath: trialsURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: trialsURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }

    /// The same trial's results, where it ran and how long it took aside.
    static func sameResult(_ a: TrialRecord, _ b: TrialRecord) -> Bool {
        var a = a, b = b
        a.host = nil; a.shard = nil; a.job = nil; a.trialSeconds = nil; a.seconds = 0
        b.host = nil; b.shard = nil; b.job = nil; b.trialSeconds = nil; b.seconds = 0
        // compared as JSON text, so NaN metrics (stored as strings) compare equal to themselves
        let encoder = StudyJSON.encoder()
        return (try? encoder.encode(a)) == (try? encoder.encode(b))
    }

    public func readReference() throws -> StudyReference? {
        guard let data = FileManager.default.contents(atPath: referenceURL.path) else { return nil }
        let r: StudyReference
        do { r = try StudyJSON.decoder().decode(StudyReference.self, from: data) } catch {
            throw StudyError.invalid("\(referenceURL.path): not a study reference (\(error))")
        }
        let n = r.actual.count
        if r.times.count != n || r.baselines.contains(where: { $0.predictions.count != n }) || r.horizon < 1 {
            throw StudyError.invalid("\(referenceURL.path): damaged: \(n) actual values, \(r.times.count) times, baseline predictions \(r.baselines.map { String($0.predictions.count) }.joined(separator: "/")); delete it and rerun the study to rebuild it")
        }
        return r
    }

    public func writeReference(_ r: StudyReference) throws {
        try writeAtomically(try StudyJSON.encoder().encode(r), to: referenceURL)
    }
}
