import Foundation
import XCTest
@testable import Forecast

/// Daily rows where the target `y` is driven by yesterday's covariate `x` (white noise), so
/// the covariate genuinely helps: y_t = 0.5·y_{t−1} + 6·x_{t−1} + small noise. `x` has a few
/// missing days, which the study must leave out for every architecture alike.
private func drivenSeries(days: Int = 320, seed: UInt64 = 11, gaps: [Int] = [40, 41, 200]) -> TimeSeries {
    var state = seed
    func noise() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) - 0.5
    }
    var x: [Double] = [], y: [Double] = []
    var last = 20.0
    for _ in 0..<days {
        let drive = x.last ?? 0
        last = 10 + 0.5 * (last - 10) + 6 * drive + 0.3 * noise()
        y.append(last)
        x.append(noise())
    }
    for g in gaps { x[g] = .nan }
    let start = LocalDateTime(year: 2021, month: 1, day: 1)
    return TimeSeries(timestamps: (0..<days).map { start.adding(days: $0) }, columns: [("y", y), ("x", x)])
}

private func covariatePlan(seeds: Int = 1) -> StudyPlan {
    var grid = StudyGrid(architectures: [
        StudyArchitecture(name: "uni", spec: "lstm:8,dense:1"),
        StudyArchitecture(name: "with-x", spec: "lstm:8,dense:1", features: ["x"]),
        StudyArchitecture(name: "global", spec: "lstm:8,dense:1", columns: ["x"]),
    ])
    grid.epochs = 60
    grid.patience = 10
    grid.learningRate = 0.01
    return StudyPlan(dataName: "driven.csv", frequency: .daily, column: "y", unit: "", lookback: 5, horizon: 1, seeds: seeds, grid: grid)
}

final class StudyCovariateGridTests: XCTestCase {
    func testParsesFeaturesFutureFeaturesAndColumns() throws {
        let json = #"{"architectures": ["lstm:8,dense:1", {"name": "w", "spec": "lstm:8,dense:1", "features": ["a", "b"], "futureFeatures": ["b"]}, {"name": "g", "spec": "gru:8,dense:1", "columns": ["c", "d"]}]}"#
        let g = try StudyGrid.parse(Data(json.utf8), file: "g.json")
        XCTAssertNil(g.architectures[0].features)
        XCTAssertEqual(g.architectures[1].features, ["a", "b"])
        XCTAssertEqual(g.architectures[1].futureFeatures, ["b"])
        XCTAssertEqual(g.architectures[2].columns, ["c", "d"])
        XCTAssertTrue(g.architectures[1].hasCovariates && !g.architectures[2].hasCovariates)
        for bad in [#"{"architectures": [{"spec": "lstm:8,dense:1", "features": "a"}]}"#,
                    #"{"architectures": [{"spec": "lstm:8,dense:1", "columns": []}]}"#] {
            XCTAssertThrowsError(try StudyGrid.parse(Data(bad.utf8), file: "g.json")) {
                XCTAssertTrue("\($0)".contains("g.json") && "\($0)".contains("non-empty list of column names"), "\($0)")
            }
        }
    }

    func testAlignmentMasksTheTargetWhereACovariateIsMissing() throws {
        var plan = covariatePlan()
        let series = drivenSeries(days: 30, gaps: [0, 10, 11, 20])
        // skip: every missing x (and, for a future-known x, the row before) leaves y out.
        XCTAssertEqual(StudyCovariates.aligned(series, plan: plan).masked, 4)
        plan.grid.architectures[1].futureFeatures = ["x"]
        let withFuture = StudyCovariates.aligned(series, plan: plan)
        XCTAssertEqual(withFuture.masked, 7)   // rows 0, 9, 10, 11, 19, 20 and the last one, whose next x is absent
        XCTAssertTrue(try XCTUnwrap(withFuture.series.column("y"))[9].isNaN)
        // carry (a grid key): only the values before x's first observation stay missing.
        let g = try StudyGrid.parse(Data(#"{"featureGaps": "carry", "architectures": [{"spec": "lstm:8,dense:1", "features": ["x"]}]}"#.utf8), file: "g.json")
        XCTAssertEqual(g.featureGaps, .carry)
        plan.grid.featureGaps = .carry
        XCTAssertEqual(plan.setup(plan.grid.architectures[1], seed: 1).featureGaps, .carry)
        plan.grid.architectures[1].futureFeatures = nil
        XCTAssertEqual(StudyCovariates.aligned(series, plan: plan).masked, 1)
    }

    func testTimeStampsSecondsOffTheHourArePutOnIt() {
        let t = { (h: Int, m: Int, s: Int) in LocalDateTime(year: 2020, month: 1, day: 9, hour: h, minute: m, second: s) }
        let raw = TimeSeries(timestamps: [t(6, 0, 0), t(7, 0, 0), t(7, 59, 59), t(9, 0, 30)], name: "v", values: [1, 2, 3, 4])
        let (snapped, moved) = Cleaning.snappedToHours(raw)
        XCTAssertEqual(moved, 2)
        XCTAssertEqual(snapped.timestamps, [t(6, 0, 0), t(7, 0, 0), t(8, 0, 0), t(9, 0, 0)])
        // Not when it would put two rows on one hour: then the grid check reports the row.
        let clash = TimeSeries(timestamps: [t(7, 0, 0), t(7, 0, 20)], name: "v", values: [1, 2])
        XCTAssertEqual(Cleaning.snappedToHours(clash).1, 0)
    }

    func testInputWidthCovariateChecksAndARXSets() throws {
        var plan = covariatePlan()
        plan.grid.architectures.append(StudyArchitecture(name: "with-x-too", spec: "gru:4,dense:1", features: ["x"]))
        plan.grid.architectures.append(StudyArchitecture(name: "x-future", spec: "gru:4,dense:1", features: ["x"], futureFeatures: ["x"]))
        XCTAssertNoThrow(try plan.validate())
        XCTAssertEqual(plan.inputWidth(plan.grid.architectures[4]), 3)
        XCTAssertEqual(plan.extraColumns, ["x"])
        // One ARX per distinct input set, named after the first architecture that has it.
        XCTAssertEqual(plan.arxSets.map(\.name), ["linear_arx[with-x]", "linear_arx[x-future]"])
        XCTAssertEqual(plan.arxSets[0].architectures, ["with-x", "with-x-too"])
        plan.grid.architectures.append(StudyArchitecture(name: "bad", spec: "lstm:4,dense:1", features: ["x"], columns: ["x"]))
        XCTAssertThrowsError(try plan.validate()) { XCTAssertTrue("\($0)".contains("'bad'") && "\($0)".contains("global"), "\($0)") }
    }

    func testUnknownColumnsAreRefusedNamingGridArchitectureAndColumns() {
        let plan = covariatePlan()
        var bad = plan
        bad.grid.architectures[1].features = ["humidity"]
        XCTAssertThrowsError(try bad.checkColumns(available: ["y", "x"], gridFile: "grids/pm.json")) { error in
            let text = "\(error)"
            for part in ["grids/pm.json", "'with-x'", "'humidity'", "driven.csv", "columns: y, x"] {
                XCTAssertTrue(text.contains(part), "expected \(part) in: \(text)")
            }
            XCTAssertFalse(text.contains("\n"))
        }
        var global = plan
        global.grid.architectures[2].columns = ["Bujaka"]
        XCTAssertThrowsError(try global.checkColumns(available: ["y", "x"], gridFile: nil)) { XCTAssertTrue("\($0)".contains("'Bujaka'")) }
        XCTAssertNoThrow(try plan.checkColumns(available: ["y", "x"], gridFile: "g.json"))
        // The runner refuses too, before anything is written.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("study-cov-\(UUID().uuidString)")
        let runner = StudyRunner(plan: bad, series: drivenSeries(), folder: StudyFolder(root))
        XCTAssertThrowsError(try runner.run())
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.path))
    }

    func testOldStudyFoldersWithoutTheNewFieldsStillLoad() throws {
        let root = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        // study.json as written before covariates and global models existed.
        let old = #"""
        {"column": "PM10", "dataName": "pm.csv", "frequency": "daily", "horizon": 1, "lookback": 7, "seeds": 2, "unit": "µg/m³",
         "grid": {"architectures": [{"direct": false, "name": "rnn4", "spec": "rnn:4,dense:1"}], "batchSize": 32, "calendar": [],
                  "epochs": 4, "learningRate": 0.001, "loss": "mse", "optimizer": "adam", "patience": 2, "scaler": "minmax", "transform": "none"}}
        """#
        try Data(old.utf8).write(to: root.appendingPathComponent("study.json"))
        let folder = StudyFolder(root)
        let plan = try folder.readPlan()
        XCTAssertNil(plan.joinedData)
        XCTAssertNil(plan.grid.architectures[0].features)
        let same = StudyPlan(dataName: "pm.csv", frequency: .daily, column: "PM10", unit: "µg/m³", lookback: 7, horizon: 1, seeds: 2,
                             grid: { var g = StudyGrid(architectures: [StudyArchitecture(name: "rnn4", spec: "rnn:4,dense:1")]); g.epochs = 4; g.patience = 2; return g }())
        XCTAssertNil(try folder.prepare(same), "the same study, so nothing to extend and no refusal")
        var grown = same
        grown.seeds = 3
        XCTAssertEqual(try folder.prepare(grown), 2)
        // An old reference (baselines without `architectures`) decodes as well.
        let reference = #"{"horizon": 1, "times": ["2021-01-01T00:00"], "actual": [1.5], "baselines": [{"name": "persistence", "predictions": [1.0], "rmse": 0.5, "mae": 0.5, "r2": 0, "mase": 1}], "testWindows": 1, "trainWindows": 5, "validationWindows": 1, "maseScale": 0.5}"#
        try Data(reference.utf8).write(to: folder.referenceURL)
        XCTAssertNil(try folder.readReference()?.baselines[0].architectures)
    }
}

final class StudyCovariateRunTests: XCTestCase {
    func testCovariateRowBeatsUnivariateAndARXAndGlobalRowsAppear() throws {
        let series = drivenSeries()
        let plan = covariatePlan()
        let root = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        var runner = StudyRunner(plan: plan, series: series, folder: StudyFolder(root.appendingPathComponent("whole")))
        runner.workers = 2
        XCTAssertEqual(try runner.run(), .init(trained: 3, skipped: 0, failed: 0))
        let s = try StudyData.merge([runner.folder])
        func rmse(_ name: String) -> Double { s.rows.first { $0.name == name }!.rmse.mean }
        // Every architecture was tested on the same windows (the missing x days are left out for all).
        XCTAssertEqual(s.architectures.count, 3)
        XCTAssertTrue(s.architectures.allSatisfy { $0.ensemble.count == s.reference.actual.count })
        let arx = try XCTUnwrap(s.rows.first { $0.name == "linear_arx[with-x]" })
        XCTAssertEqual(arx.kind, "baseline")
        XCTAssertFalse(s.rows.contains { $0.name == "linear_arx" })
        // x drives y: the rows with x beat those without, by far.
        XCTAssertLessThan(rmse("with-x"), 0.7 * rmse("uni"))
        XCTAssertLessThan(arx.rmse.mean, 0.5 * rmse("linear_ar"))
        let own = try XCTUnwrap(s.architectures.first { $0.name == "with-x" }?.versusOwnARX)
        XCTAssertEqual(own.against, "linear_arx[with-x]")
        XCTAssertNil(s.architectures.first { $0.name == "uni" }?.versusOwnARX)
        XCTAssertTrue(s.verdict.contains("with-x against linear_arx[with-x]"), s.verdict)
        // The global model (trained on y and x) is scored on y, beside the local ones.
        XCTAssertTrue(rmse("global").isFinite)
        XCTAssertEqual(s.records.first { $0.architecture == "global" }?.predictions.count, s.reference.actual.count)

        // Shards of the same study merge into the same table; a rerun trains nothing.
        var shards: [StudyFolder] = []
        for i in 1...2 {
            var r = StudyRunner(plan: plan, series: series, folder: StudyFolder(root.appendingPathComponent("shard\(i)")))
            r.workers = 1
            r.shard = (i, 2)
            _ = try r.run()
            shards.append(r.folder)
        }
        XCTAssertEqual(try runner.run(), .init(trained: 0, skipped: 3, failed: 0))
        let merged = try StudyData.merge(shards)
        func timeless(_ rows: [StudyTableRow]) -> [StudyTableRow] { rows.map { var r = $0; r.seconds = 0; return r } }
        XCTAssertEqual("\(timeless(merged.rows))", "\(timeless(s.rows))")
        XCTAssertEqual(try shards[1].readPlan().grid.architectures[1].features, ["x"])
        try StudyReport.write(merged, to: root.appendingPathComponent("report"), command: "rnn study merge")
        let md = try String(contentsOf: root.appendingPathComponent("report/results.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("linear_arx[with-x] (baseline)") && md.contains("Covariates and global models"), md)
    }
}
