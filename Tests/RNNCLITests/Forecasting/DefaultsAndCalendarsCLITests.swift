import Foundation
import XCTest

/// `rnn train` with only --data and --out, on a monthly CSV: the defaults are named, the
/// calendar is inferred, and the forecast continues month by month.
final class DefaultsAndCalendarsCLITests: XCTestCase {
    func testTrainWithoutModelUsesTheDefaultsOnAMonthlySeries() throws {
        let dir = try CLIRunner.tempDir()
        var lines = ["month,sales"]
        for k in 0..<96 {
            let year = 2017 + k / 12, month = k % 12 + 1
            lines.append(String(format: "%04d-%02d,%.3f", year, month, 100 + Double(k) * 0.8 + 12 * sin(Double(k) * Double.pi / 6)))
        }
        let csv = dir.appendingPathComponent("monthly.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: csv)
        let out = dir.appendingPathComponent("out")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--epochs", "3", "--forecast", "3", "--out", out.path, "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("No --model: the defaults"), r.stderr)
        XCTAssertTrue(r.stderr.contains("monthly (seasonal period 12)"), r.stderr)
        let metrics = try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))
        XCTAssertEqual(metrics["frequency"] as? String, "monthly")
        XCTAssertEqual(metrics["seasonal_period"] as? Int, 12)
        XCTAssertEqual(metrics["lookback"] as? Int, 9)  // two seasons (24) capped at a tenth of 96 rows
        XCTAssertTrue(["none", "difference"].contains(metrics["transform"] as? String ?? "auto"), "transform auto is decided and stored")
        let test = try XCTUnwrap(metrics["test"] as? [String: Any])
        XCTAssertNotNil(test["ets"])
        XCTAssertNotNil(test["ar_diff"])
        let forecast = try String(contentsOf: out.appendingPathComponent("forecast.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(forecast.dropFirst().map { String($0.prefix(10)) }, ["2025-01-01", "2025-02-01", "2025-03-01"])
    }

    func testIrregularDatesAreRefusedWithTheFileAndAHint() throws {
        let dir = try CLIRunner.tempDir()
        let csv = dir.appendingPathComponent("odd.csv")
        try Data("date,v\n2024-01-01,1\n2024-01-04,2\n2024-01-09,3\n".utf8).write(to: csv)
        let r = try CLIRunner.run(["train", "--data", csv.path, "--out", dir.appendingPathComponent("o").path, "--quiet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("odd.csv") && r.stderr.contains("--frequency"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
