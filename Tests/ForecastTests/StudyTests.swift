import Foundation
import XCTest
@testable import Forecast

/// A daily series with a weekly cycle and AR(1) noise, `days` long, column `PM10`.
private func studySeries(days: Int = 160, seed: UInt64 = 7) -> TimeSeries {
    var state = seed
    func noise() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) - 0.5
    }
    var v = 30.0
    var values: [Double] = []
    for d in 0..<days {
        v = 0.7 * v + 0.3 * (30 + 8 * sin(2 * .pi * Double(d) / 7)) + 4 * noise()
        values.append(v)
    }
    let start = LocalDateTime(year: 2021, month: 1, day: 1)
    return TimeSeries(timestamps: (0..<days).map { start.adding(days: $0) }, name: "PM10", values: values)
}

private func tinyPlan(seeds: Int = 2) -> StudyPlan {
    var grid = StudyGrid(architectures: [
        StudyArchitecture(name: "rnn4", spec: "rnn:4,dense:1"),
        StudyArchitecture(name: "gru4-cal", spec: "gru:4,dense:1", calendar: [.weekday]),
    ])
    grid.epochs = 4
    grid.patience = 2
    return StudyPlan(dataName: "synthetic", frequency: .daily, column: "PM10", unit: "µg/m³", lookback: 7, horizon: 1, seeds: seeds, grid: grid)
}

final class StudyGridTests: XCTestCase {
    func testParsesStringsAndObjectsWithSettings() throws {
        let json = #"{"epochs": 7, "patience": 3, "learningRate": 0.01, "calendar": ["month"], "architectures": ["lstm:8:seq,lstm:8,dense:1", {"name": "g", "spec": "gru:8,dense:3", "direct": true, "calendar": []}]}"#
        let g = try StudyGrid.parse(Data(json.utf8), file: "g.json")
        XCTAssertEqual(g.epochs, 7)
        XCTAssertEqual(g.patience, 3)
        XCTAssertEqual(g.learningRate, 0.01)
        XCTAssertEqual(g.calendar, [.month])
        XCTAssertEqual(g.architectures.map(\.name), ["lstm8seq_lstm8", "g"])
        XCTAssertEqual(g.architectures[1].direct, true)
        XCTAssertEqual(g.architectures[1].calendar, [])
    }

    func testUnknownKeysAreErrorsNamingThem() {
        for (json, key) in [(#"{"architectures": ["lstm:8,dense:1"], "epochz": 3}"#, "epochz"),
                            (#"{"architectures": [{"spec": "lstm:8,dense:1", "dropout": 0.2}]}"#, "dropout")] {
            XCTAssertThrowsError(try StudyGrid.parse(Data(json.utf8), file: "grid.json")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("grid.json") && text.contains("unknown key '\(key)'"), text)
            }
        }
        XCTAssertThrowsError(try StudyGrid.parse(Data(#"{"architectures": []}"#.utf8), file: "g"))
        XCTAssertThrowsError(try StudyGrid.parse(Data(#"{"architectures": ["lstm:8,dense:1"], "epochs": "ten"}"#.utf8), file: "g")) {
            XCTAssertTrue("\($0)".contains("'epochs' must be an integer"))
        }
    }

    func testBadSpecAndHeadWidthAreCaughtBeforeTraining() {
        var plan = tinyPlan()
        plan.grid.architectures.append(StudyArchitecture(name: "broken", spec: "lstm:8,dense:1,lstn:4"))
        XCTAssertThrowsError(try plan.validate()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("'broken'") && text.contains("lstn:4"), text)
        }
        plan = tinyPlan()
        plan.horizon = 3
        plan.grid.architectures = [StudyArchitecture(name: "direct", spec: "lstm:4,dense:1", direct: true)]
        XCTAssertThrowsError(try plan.validate()) { XCTAssertTrue("\($0)".contains("dense:3"), "\($0)") }
        plan.grid.architectures = [StudyArchitecture(name: "a", spec: "lstm:4,dense:1"), StudyArchitecture(name: "a", spec: "gru:4,dense:1")]
        XCTAssertThrowsError(try plan.validate()) { XCTAssertTrue("\($0)".contains("used twice")) }
    }

    /// A grid may name a huge layer: validation checks shapes and counts without creating the
    /// weights (building `gru:3000` once spent minutes in the orthogonal initialisation).
    func testHugeLayersAreValidatedWithoutBuildingThem() throws {
        var plan = tinyPlan()
        plan.grid.architectures = [StudyArchitecture(name: "wide", spec: "gru:3000,dense:1")]
        let start = Date()
        try plan.validate()
        // PyTorch's GRU: 3H·(I + H + 2) with I = 1 input feature; then Dense(3000 → 1).
        XCTAssertEqual(plan.parameterCount(plan.grid.architectures[0]), 3 * 3000 * (1 + 3000 + 2) + 3001)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "validation must not initialise 27 M weights")
        plan.grid.architectures = [StudyArchitecture(name: "too-wide", spec: "lstm:70000,dense:1")]
        XCTAssertThrowsError(try plan.validate()) { XCTAssertTrue("\($0)".contains("65536"), "\($0)") }
    }

    /// Deeply nested YAML overflowed Yams' recursive parser (segfault); it is refused first.
    func testDeeplyNestedYAMLIsRefusedNotCrashed() throws {
        for text in ["architectures: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000),
                     "architectures:\n" + String(repeating: "- ", count: 100_000) + "lstm:4,dense:1\n",
                     "architectures:\n" + String(repeating: " ", count: 5000) + "- lstm:4,dense:1\n"] {
            XCTAssertThrowsError(try StudyGrid.parse(Data(text.utf8), file: "deep.yaml")) { error in
                XCTAssertTrue("\(error)".contains("deep.yaml") && "\(error)".contains("levels deep"), "\(error)")
            }
        }
        // Aliases nested 8 deep stand for 10⁹ scalars ("billion laughs"): refused at the first wrong type, quickly.
        var laughs = ["architectures:", "  - &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...8 { laughs.append("  - &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        let start = Date()
        XCTAssertThrowsError(try StudyGrid.parse(Data(laughs.joined(separator: "\n").utf8), file: "laughs.yaml"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // A grid at ordinary depth still reads.
        let grid = try StudyGrid.parse(Data("architectures:\n  - name: a\n    spec: lstm:4,dense:1\n    calendar: [hour, weekday]\n".utf8), file: "ok.yaml")
        XCTAssertEqual(grid.architectures.map(\.name), ["a"])
        XCTAssertLessThanOrEqual(YAMLNesting.bound(Array("a:\n  - [x, {y: [z]}]\n".utf8)), 10)
    }

    func testLabPresetCoversTheRequiredArchitecturesAndValidates() throws {
        let one = StudyGrid.lab(horizon: 1, hourly: false)
        let specs = one.architectures.map(\.spec)
        for needed in ["rnn:32,dense:1", "rnn:64,dense:1", "lstm:32,dense:1", "lstm:64,dense:1", "gru:32,dense:1", "gru:64,dense:1",
                       "lstm:32:seq,lstm:32,dense:1", "gru:32:seq,gru:32,dense:1", "bilstm:32,dense:1", "conv1d:16:3:relu,lstm:32,dense:1"] {
            XCTAssertTrue(specs.contains(needed), needed)
        }
        XCTAssertTrue(specs.contains { $0.contains("dropout") })
        XCTAssertFalse(one.architectures.contains { $0.direct })
        let three = StudyGrid.lab(horizon: 3, hourly: true)
        XCTAssertEqual(three.architectures.filter(\.direct).map(\.spec), ["lstm:32,dense:3"])
        try StudyPlan(dataName: "x", frequency: .hourly, column: "PM10", unit: "", lookback: 24, horizon: 3, seeds: 3, grid: three).validate()
    }

    func testShardsPartitionTheTrials() {
        let plan = tinyPlan(seeds: 3)
        let all = plan.trials.map(\.id)
        XCTAssertEqual(all.count, 6)
        let parts = (1...4).map { plan.trials(shard: $0, of: 4).map(\.id) }
        XCTAssertEqual(parts.flatMap { $0 }.sorted(), all.sorted())
        XCTAssertEqual(Set(parts.flatMap { $0 }).count, all.count)
        XCTAssertEqual(parts[0], ["rnn4#1", "gru4-cal#2"])
    }
}

final class StudyRunTests: XCTestCase {
    func testTwoShardsMergedGiveTheSameTableAsOneRun() throws {
        let series = studySeries()
        let plan = tinyPlan()
        let root = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = StudyFolder(root.appendingPathComponent("whole"))
        var runner = StudyRunner(plan: plan, series: series, folder: whole)
        runner.workers = 2
        XCTAssertEqual(try runner.run(), .init(trained: 4, skipped: 0, failed: 0))
        var shards: [StudyFolder] = []
        for i in 1...2 {
            let folder = StudyFolder(root.appendingPathComponent("shard\(i)"))
            var r = StudyRunner(plan: plan, series: series, folder: folder)
            r.workers = 1
            r.shard = (i, 2)
            XCTAssertEqual(try r.run().trained, 2)
            shards.append(folder)
        }
        // Rerunning skips every finished trial.
        XCTAssertEqual(try runner.run(), .init(trained: 0, skipped: 4, failed: 0))
        let one = try StudyData.merge([whole])
        let merged = try StudyData.merge(shards)
        let partial = try StudyData.merge([shards[0]])
        XCTAssertEqual(partial.missingTrials.count, 2)
        XCTAssertTrue(merged.missingTrials.isEmpty)
        // Training time is the only thing allowed to differ.
        func timeless(_ rows: [StudyTableRow]) -> [StudyTableRow] { rows.map { var r = $0; r.seconds = 0; return r } }
        XCTAssertEqual("\(timeless(merged.rows))", "\(timeless(one.rows))") // NaN cells compare as text
        XCTAssertEqual(merged.architectures.map(\.ensemble), one.architectures.map(\.ensemble))
        XCTAssertEqual(one.rows.filter { $0.kind == "model" }.count, 2)
        XCTAssertTrue(one.rows.contains { $0.name == "persistence" && $0.kind == "baseline" })
        try StudyReport.write(merged, to: root.appendingPathComponent("report"), command: "rnn study merge")
        let html = try String(contentsOf: root.appendingPathComponent("report/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("gru4-cal") && !html.contains("<script"))
    }

    func testSummaryStatisticsEnsembleAndMedianRun() throws {
        let series = studySeries()
        let plan = tinyPlan(seeds: 3)
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var runner = StudyRunner(plan: plan, series: series, folder: StudyFolder(dir))
        runner.workers = 2
        _ = try runner.run()
        let folder = StudyFolder(dir)
        let trials = try folder.readTrials()
        XCTAssertEqual(Set(trials.map(\.id)).count, 6)
        let reference = try XCTUnwrap(folder.readReference())
        let s = StudySummary(plan: plan, reference: reference, trials: trials)
        let rnn = try XCTUnwrap(s.architectures.first { $0.name == "rnn4" })
        let runs = trials.filter { $0.architecture == "rnn4" }
        let rmses = runs.map(\.rmse)
        let mean = rmses.reduce(0, +) / 3
        XCTAssertEqual(rnn.rmse.mean, mean, accuracy: 1e-12)
        XCTAssertEqual(rnn.rmse.sd, (rmses.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(rnn.medianRun?.rmse, rmses.sorted()[1])
        let i = 5
        XCTAssertEqual(rnn.ensemble[i], runs.map { Double($0.predictions[i]) }.reduce(0, +) / 3, accuracy: 1e-9)
        // The ensemble's DM test against persistence uses the same errors as a direct call.
        let p = try XCTUnwrap(reference.baseline("persistence"))
        let e1 = zip(reference.actual, rnn.ensemble).map { $0 - $1 }, e2 = zip(reference.actual, p.predictions).map { $0 - $1 }
        let dm = try DieboldMariano(errors1: e1, errors2: e2, horizon: 1)
        XCTAssertEqual(rnn.versusPersistence?.pValue ?? .nan, dm.pValue, accuracy: 1e-12)
        XCTAssertEqual(s.rows.map(\.rank), Array(1...s.rows.count))
        XCTAssertTrue(zip(s.rows, s.rows.dropFirst()).allSatisfy { $0.rmse.mean <= $1.rmse.mean })
    }

    func testPartialLastLineIsIgnoredAndCutAndBadLinesAreNamed() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = StudyFolder(dir)
        let record = TrialRecord(id: "a#1", architecture: "a", spec: "lstm:4,dense:1", seed: 1, rmse: 1, mae: 1, r2: .nan, mase: 1,
                                 parameters: 3, seconds: 0.5, epochs: 2, bestEpoch: 1, loss: [1, 0.5], valLoss: [1, 0.7], predictions: [1, 2], error: nil)
        try folder.append(record)
        let handle = try FileHandle(forWritingTo: folder.trialsURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"architecture":"a","id":"a#2","#.utf8))
        try handle.close()
        XCTAssertEqual("\(try folder.readTrials())", "\([record])") // r2 NaN survives the round trip
        try folder.dropPartialLastLine()
        var second = record
        second.id = "a#2"; second.seed = 2
        try folder.append(second)
        XCTAssertEqual("\(try folder.readTrials())", "\([record, second])")
        var rerun = record
        rerun.host = "elsewhere"; rerun.trialSeconds = 9
        try folder.append(rerun)                        // the same trial again, same results: dropped
        XCTAssertEqual("\(try folder.readTrials())", "\([record, second])")
        var other = record
        other.rmse = 2
        try folder.append(other)                        // the same trial with other results: an error
        XCTAssertThrowsError(try folder.readTrials()) { XCTAssertTrue("\($0)".contains("trial a#1 is already on line 1"), "\($0)") }
        try Data("{\"oops\": 1}\n".utf8).write(to: folder.trialsURL, options: .atomic)
        XCTAssertThrowsError(try folder.readTrials()) { XCTAssertTrue("\($0)".contains("trials.jsonl:1"), "\($0)") }
    }

    func testAFolderRefusesADifferentStudyButGrowsWithMoreSeeds() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFolder(dir).prepare(tinyPlan())
        var other = tinyPlan()
        other.lookback = 14
        XCTAssertThrowsError(try StudyFolder(dir).prepare(other)) { XCTAssertTrue("\($0)".contains("different study")) }
        XCTAssertNil(try StudyFolder(dir).prepare(tinyPlan()), "the same study: nothing to extend")
        XCTAssertEqual(try StudyFolder(dir).prepare(tinyPlan(seeds: 5)), 2, "more seeds extend the study")
        XCTAssertEqual(try StudyFolder(dir).readPlan().seeds, 5)
        XCTAssertThrowsError(try StudyFolder(dir).prepare(tinyPlan(seeds: 3))) { XCTAssertTrue("\($0)".contains("can only grow"), "\($0)") }
    }
}

/// Grid numbers keep their JSON types on every platform (issue 10).
final class StudyGridTypesTests: XCTestCase {
    func testOneIsANumberAndTrueIsNot() throws {
        let g = try StudyGrid.parse(Data(#"{"learningRate": 1, "clipNorm": 0, "epochs": 3, "architectures": ["lstm:4,dense:1"]}"#.utf8), file: "g.json")
        XCTAssertEqual(g.learningRate, 1)
        XCTAssertEqual(g.clipNorm, 0)
        XCTAssertEqual(g.epochs, 3)
        for (json, message) in [(#"{"epochs": true, "architectures": ["lstm:4,dense:1"]}"#, "'epochs' must be an integer"),
                                (#"{"learningRate": false, "architectures": ["lstm:4,dense:1"]}"#, "'learningRate' must be a number"),
                                (#"{"epochs": 2.5, "architectures": ["lstm:4,dense:1"]}"#, "'epochs' must be an integer"),
                                (#"{"architectures": [{"spec": "lstm:4,dense:1", "direct": 1}]}"#, "'direct' must be true or false")] {
            XCTAssertThrowsError(try StudyGrid.parse(Data(json.utf8), file: "g.json")) { e in
                XCTAssertTrue("\(e)".contains(message), "\(json): \(e)")
            }
        }
    }
}

/// A damaged study folder is refused with a message, never read past its arrays (issue 10).
final class StudyReferenceDamageTests: XCTestCase {
    func testShortTimesAreRefused() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = #"{"horizon": 1, "times": ["2024-01-01T00:00"], "actual": [1, 2, 3], "baselines": [{"name": "persistence", "predictions": [1, 2, 3], "rmse": 1, "mae": 1, "r2": 0, "mase": 1}], "testWindows": 3, "trainWindows": 10, "validationWindows": 2, "maseScale": 1}"#
        try Data(json.utf8).write(to: dir.appendingPathComponent("reference.json"))
        XCTAssertThrowsError(try StudyFolder(dir).readReference()) { e in
            XCTAssertTrue("\(e)".contains("damaged: 3 actual values, 1 times"), "\(e)")
        }
    }
}

/// YAML grids (`.yaml`/`.yml`) read into the same grid as their JSON twin, with the same errors.
final class StudyGridYAMLTests: XCTestCase {
    func testYAMLAndJSONGridsAgree() throws {
        let yaml = """
        # the same grid as the JSON below
        epochs: 7
        patience: 3
        learningRate: 0.01
        optimizer: sgd
        transform: diff
        calendar: [month]
        architectures:
          - lstm:8:seq,lstm:8,dense:1
          - name: g
            spec: gru:8,dense:3
            direct: true
            calendar: []
        """
        let json = #"{"epochs": 7, "patience": 3, "learningRate": 0.01, "optimizer": "sgd", "transform": "difference", "calendar": ["month"], "architectures": ["lstm:8:seq,lstm:8,dense:1", {"name": "g", "spec": "gru:8,dense:3", "direct": true, "calendar": []}]}"#
        let fromYAML = try StudyGrid.parse(Data(yaml.utf8), file: "grid.yaml")
        XCTAssertEqual(fromYAML, try StudyGrid.parse(Data(json.utf8), file: "grid.json"))
        XCTAssertEqual(fromYAML.optimizer, .sgd)
        XCTAssertEqual(fromYAML.transform, .difference)
        XCTAssertEqual(fromYAML.architectures.map(\.name), ["lstm8seq_lstm8", "g"])

        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("grid.yml")
        try Data(yaml.utf8).write(to: url)
        XCTAssertEqual(try StudyGrid.read(url), fromYAML)
    }

    func testYAMLErrorsNameTheFileTheKeyAndWhatWasExpected() {
        for (yaml, expected) in [("architectures: [lstm:4,dense:1]\nepochz: 3\n", "grid.yaml: unknown key 'epochz'"),
                                 ("architectures: [lstm:4,dense:1]\nepochs: ten\n", "grid.yaml: 'epochs' must be an integer"),
                                 ("architectures: [lstm:4,dense:1]\noptimizer: lbfgs\n", "grid.yaml: 'optimizer' must be adam, adamw, sgd or rmsprop, got 'lbfgs'"),
                                 ("architectures:\n  - spec: lstm:4,dense:1\n    direct: maybe\n", "grid.yaml: architecture 1: 'direct' must be true or false"),
                                 ("architectures: []\n", "grid.yaml: 'architectures' must be a non-empty list"),
                                 ("architectures: [lstm:4\n", "grid.yaml: not valid YAML")] {
            XCTAssertThrowsError(try StudyGrid.parse(Data(yaml.utf8), file: "grid.yaml")) { e in
                let text = "\(e)"
                XCTAssertTrue(text.hasPrefix(expected), "\(yaml): \(text)")
                XCTAssertFalse(text.contains("\n"), "one line: \(text)")
            }
        }
    }

    func testJSONEnumAndSyntaxErrorsAreOneLine() {
        for (json, expected) in [(#"{"architectures": ["lstm:4,dense:1"], "scaler": "robust"}"#, "g.json: 'scaler' must be minmax or standard, got 'robust'"),
                                 (#"{"architectures": ["lstm:4,dense:1"], "calendar": ["season"]}"#, "g.json: 'calendar' must be a list of hour, weekday or month, got 'season'"),
                                 (#"{"architectures": [{"spec": "lstm:4,dense:1"}, {"name": "x"}]}"#, "g.json: architecture 2: 'spec' must be a string"),
                                 (#"["lstm:4,dense:1"]"#, "g.json: expected an object of settings at the top level"),
                                 (#"{"architectures": ["lstm:4,dense:1"],"#, "g.json: not valid JSON")] {
            XCTAssertThrowsError(try StudyGrid.parse(Data(json.utf8), file: "g.json")) { e in
                let text = "\(e)"
                XCTAssertTrue(text.hasPrefix(expected), "\(json): \(text)")
                XCTAssertFalse(text.contains("\n"), "one line: \(text)")
            }
        }
    }
}

/// The YAML example grid is the JSON example in other syntax.
final class StudyGridExampleTests: XCTestCase {
    func testTheYAMLExampleMatchesItsJSONTwin() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardized
        let yaml = try StudyGrid.read(examples.appendingPathComponent("study-daily-calendar.yaml"))
        let json = try StudyGrid.read(examples.appendingPathComponent("study-daily-calendar.json"))
        XCTAssertEqual(yaml, json)
        XCTAssertEqual(yaml.architectures.count, 5)
        XCTAssertEqual(yaml.calendar, [.weekday, .month])
        XCTAssertEqual(yaml.architectures.last?.calendar, [])
    }
}
