import Foundation
import XCTest
@testable import Forecast

/// Where a study's trials ran: records stamped with host, shard, job and time, summed per shard.
final class StudyPlacementTests: XCTestCase {
    private func record(_ id: String, shard: String?, host: String?, job: String?, seconds: Double, trialSeconds: Double?) -> TrialRecord {
        var r = TrialRecord(id: id, architecture: "a", spec: "gru:4,dense:1", seed: UInt64(id.last!.wholeNumberValue!), rmse: 2, mae: 1.5, r2: 0.5,
                            mase: 0.9, parameters: 10, seconds: seconds, epochs: 3, bestEpoch: 2, loss: [1], valLoss: [1], predictions: [1], error: nil)
        r.shard = shard; r.host = host; r.job = job; r.trialSeconds = trialSeconds
        return r
    }

    private func summary(_ records: [TrialRecord]) -> StudySummary {
        let grid = StudyGrid(architectures: [StudyArchitecture(name: "a", spec: "gru:4,dense:1")])
        let plan = StudyPlan(dataName: "x.csv", frequency: .daily, column: "PM10", unit: "", lookback: 7, horizon: 1, seeds: 4, grid: grid)
        let reference = try! JSONDecoder().decode(StudyReference.self, from: Data(#"""
            {"horizon": 1, "times": ["2021-01-01T00:00"], "actual": [1], "baselines": [], "testWindows": 1, "trainWindows": 1, "validationWindows": 1, "maseScale": 1}
            """#.utf8))
        return StudySummary(plan: plan, reference: reference, trials: records)
    }

    func testPlacementSumsEachShardsTrialsInShardOrder() {
        let s = summary([
            record("a#1", shard: "2/2", host: "n2", job: "9_2", seconds: 1.5, trialSeconds: 2),
            record("a#2", shard: "1/2", host: "n1", job: "9_1", seconds: 3, trialSeconds: 4),
            record("a#3", shard: "2/2", host: "n2", job: "9_2", seconds: 2.5, trialSeconds: 3),
            record("a#4", shard: "1/2", host: "n3", job: "10_1", seconds: 1, trialSeconds: nil),
            record("a#4", shard: "2/2", host: "n9", job: "11_2", seconds: 7, trialSeconds: 7), // a duplicate id: the first is kept
        ])
        XCTAssertEqual(s.placement, [
            StudyPlacementRow(shard: "1/2", host: "n1", job: "9_1", trials: 1, trainSeconds: 3, trialSeconds: 4),
            StudyPlacementRow(shard: "1/2", host: "n3", job: "10_1", trials: 1, trainSeconds: 1, trialSeconds: 1),
            StudyPlacementRow(shard: "2/2", host: "n2", job: "9_2", trials: 2, trainSeconds: 4, trialSeconds: 5),
        ])
        XCTAssertTrue(s.placementTable.contains("| 2/2 | n2 | 9_2 | 2 | 4.0 | 5.0 |"), s.placementTable)
        let csv = s.trialsCSV.split(separator: "\n")
        XCTAssertEqual(csv.count, 5)
        XCTAssertEqual(csv[1], "a#1,a,1,2,1.5,0.5,0.9,3,1.5,2,2/2,n2,9_2,")
    }

    func testRecordsWrittenBeforePlacementStillReadAndCountAsUnknown() throws {
        let old = #"{"architecture":"a","bestEpoch":1,"epochs":2,"id":"a#1","loss":[1],"mae":1,"mase":1,"parameters":3,"predictions":[1],"r2":0.5,"rmse":1,"seconds":0.5,"seed":1,"spec":"gru:4,dense:1","valLoss":[1]}"#
        let r = try StudyJSON.decoder().decode(TrialRecord.self, from: Data(old.utf8))
        XCTAssertNil(r.host)
        XCTAssertNil(r.trialSeconds)
        XCTAssertEqual(summary([r]).placement, [StudyPlacementRow(shard: "—", host: "unknown", job: "—", trials: 1, trainSeconds: 0.5, trialSeconds: 0.5)])
    }

    func testTrialsCSVQuotesAnErrorWithCommasAndQuotes() {
        var failed = record("a#1", shard: nil, host: "h", job: nil, seconds: 0, trialSeconds: 0.1)
        failed.error = #"bad "spec", line 2"#
        failed.rmse = .nan
        let line = summary([failed]).trialsCSV.split(separator: "\n")[1]
        XCTAssertEqual(line, #"a#1,a,1,,1.5,0.5,0.9,3,0,0.1,,h,,"bad ""spec"", line 2""#)
    }
}
