import Charts
import Foundation
import XCTest

/// The forecasting commands on the shared NBP and PM10 data (skipped without ../shared).
final class RealDataCLITests: XCTestCase {
    /// `../shared/data/<relative>` beside the package, or an `XCTSkip`.
    private func shared(_ relative: String) throws -> URL {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let url = package.deletingLastPathComponent().appendingPathComponent("shared/data/\(relative)")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("../shared/data/\(relative) is absent") }
        return url
    }

    func testNBPUSDForecastFollowsBusinessDays() throws {
        let nbp = try shared("nbp")
        let out = try CLIRunner.tempDir().appendingPathComponent("usd")
        let r = try CLIRunner.run(["train", "--data", nbp.path, "--column", "USD", "--from", "2024-07-01", "--to", "2024-12-31",
                                   "--lookback", "10", "--model", "lstm:4,dense:1", "--epochs", "1", "--forecast", "3",
                                   "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let metrics = try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))
        XCTAssertEqual(metrics["unit"] as? String, "PLN")
        XCTAssertEqual((metrics["data"] as? [String: Any])?["last"] as? String, "2024-12-31")
        // 2024-12-31 is a Tuesday: NBP's next business days skip New Year (Wed 1 January), the
        // weekend and Epiphany (Mon 6 January): Thu 2, Fri 3, Tue 7.
        let forecast = try String(contentsOf: out.appendingPathComponent("forecast.csv"), encoding: .utf8)
        XCTAssertEqual(forecast.split(separator: "\n").dropFirst().map { String($0.prefix(10)) }, ["2025-01-02", "2025-01-03", "2025-01-07"])
        let persistence = try XCTUnwrap(((metrics["test"] as? [String: Any])?["persistence"] as? [String: Any])?["rmse"] as? Double)
        XCTAssertGreaterThan(persistence, 0.005)
        XCTAssertLessThan(persistence, 0.06, "USD/PLN moves a few grosz a day")
    }

    func testPM10DailyResamplingReportsCleaning() throws {
        let csv = try shared("pm10/krakow-zloty-rog-pm10-1h.csv")
        let out = try CLIRunner.tempDir().appendingPathComponent("pm10")
        let r = try CLIRunner.run(["train", "--data", csv.path, "--from", "2023-10-01", "--to", "2023-12-31", "--resample", "daily",
                                   "--fill-gaps", "3", "--lookback", "7", "--model", "lstm:4,dense:1", "--epochs", "1",
                                   "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try XCTUnwrap(try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))["data"] as? [String: Any])
        XCTAssertEqual(data["rows"] as? Int, 92, "92 days from October to December")
        XCTAssertEqual(data["first"] as? String, "2023-10-01")
        // Days under 18 hourly values (counted in the CSV independently): 10–11 October and 1–3 November
        // (the 58-hour gap); gaps of 2 and 3 days, all interpolated with --fill-gaps 3.
        XCTAssertEqual(data["gaps_filled"] as? Int, 5)
        XCTAssertEqual(data["missing_target_values"] as? Int, 0)
    }
}
