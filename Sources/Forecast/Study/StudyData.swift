import Foundation

/// The series a study models: the hourly readings or their daily means.
public enum StudyTarget: String, NamedChoice {
    case hourly, daily

    /// The calendar of the modelled series.
    public var frequency: Frequency { self == .hourly ? .hourly : .daily }
}

/// Loading a study's series and joining study folders.
public enum StudyData {
    /// True when every time stamp is a midnight (a file of daily values).
    static func isDaily(_ times: [LocalDateTime]) -> Bool {
        !times.isEmpty && times.allSatisfy { $0.hour == 0 && $0.minute == 0 && $0.second == 0 }
    }

    /// Plans, references and trials of several study folders (shards), checked to be one study.
    public static func merge(_ folders: [StudyFolder]) throws -> StudySummary {
        guard let first = folders.first else { throw StudyError.invalid("give at least one study folder") }
        let plan = try first.readPlan()
        var reference: StudyReference?
        var trials: [TrialRecord] = []
        for f in folders {
            guard try f.readPlan() == plan else {
                throw StudyError.invalid("\(f.url.path) holds a different study than \(first.url.path) (study.json differs)")
            }
            if let r = try f.readReference() {
                if let reference, reference.actual.count != r.actual.count || reference.times != r.times {
                    throw StudyError.invalid("\(f.url.path): its test part differs from \(first.url.path)'s")
                }
                reference = reference ?? r
            }
            trials += try f.readTrials()
        }
        guard let reference else { throw StudyError.invalid("no finished trial in \(folders.map(\.url.path).joined(separator: ", "))") }
        return StudySummary(plan: plan, reference: reference, trials: trials)
    }
}
