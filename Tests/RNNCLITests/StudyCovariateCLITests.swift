import Foundation
import XCTest

/// Two hourly files over 100 days: `stations.csv` (`datetime,ZloRog,Bujaka`) and
/// `weather.csv` (`datetime,temp`), which starts a week later than the stations.
private func covariateFixture() throws -> (dir: URL, stations: URL, weather: URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("study-cov-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var stations = "datetime,ZloRog,Bujaka\n", weather = "datetime,temp\n"
    let start = Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC"), year: 2021, month: 1, day: 1))!
    let format = DateFormatter()
    format.dateFormat = "yyyy-MM-dd HH:mm:ss"
    format.timeZone = TimeZone(identifier: "UTC")
    for k in 0..<(100 * 24) {
        let stamp = format.string(from: start.addingTimeInterval(Double(k) * 3600))
        let d = Double(k) / 24
        let temp = 5 + 8 * sin(2 * .pi * d / 30) + Double(k * 7919 % 11) / 5
        let zlo = 40 - 1.5 * temp + 6 * sin(2 * .pi * d / 7) + Double(k * 104729 % 13) / 4
        stations += String(format: "%@,%.3f,%.3f\n", stamp, zlo, zlo * 0.8 + 3)
        if k >= 7 * 24 { weather += String(format: "%@,%.2f\n", stamp, temp) }
    }
    let s = dir.appendingPathComponent("stations.csv"), w = dir.appendingPathComponent("weather.csv")
    try Data(stations.utf8).write(to: s)
    try Data(weather.utf8).write(to: w)
    return (dir, s, w)
}

final class StudyCovariateCLITests: XCTestCase {
    func testUnknownColumnIsRefusedBeforeAnythingIsWritten() throws {
        let (dir, stations, weather) = try covariateFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = dir.appendingPathComponent("cov-grid.json")
        try Data(#"{"architectures": ["lstm:4,dense:1", {"name": "with-wind", "spec": "lstm:4,dense:1", "features": ["windspeed"]}]}"#.utf8).write(to: grid)
        let out = dir.appendingPathComponent("out")
        let r = try CLIRunner.run(["study", "--data", stations.path, "--column", "ZloRog", "--join", weather.path, "--target", "daily",
                                   "--grid", grid.path, "--seeds", "1", "--out", out.path])
        XCTAssertNotEqual(r.status, 0)
        let line = r.stderr.split(separator: "\n").first { $0.contains("windspeed") }.map(String.init) ?? ""
        for part in ["cov-grid.json", "'with-wind'", "'windspeed'", "columns: ZloRog, Bujaka, temp"] {
            XCTAssertTrue(line.contains(part), "expected \(part) in: \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testStudyComparesLocalCovariateAndGlobalRowsWithTheirARX() throws {
        let (dir, stations, weather) = try covariateFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = dir.appendingPathComponent("grid.json")
        try Data(#"""
        {"epochs": 3, "patience": 2, "lookback": 7, "architectures": [
          {"name": "local", "spec": "lstm:4,dense:1"},
          {"name": "stations", "spec": "lstm:4,dense:1", "features": ["Bujaka"]},
          {"name": "weather", "spec": "lstm:4,dense:1", "features": ["temp"], "futureFeatures": ["temp"]},
          {"name": "global", "spec": "lstm:4,dense:1", "columns": ["Bujaka"]}]}
        """#.utf8).write(to: grid)
        let out = dir.appendingPathComponent("out")
        let r = try CLIRunner.run(["study", "--data", stations.path, "--column", "ZloRog", "--join", weather.path, "--target", "daily",
                                   "--grid", grid.path, "--seeds", "1", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").filter { $0.contains(",model,") }.count, 4, csv)
        XCTAssertTrue(csv.contains("linear_arx[stations],baseline") && csv.contains("linear_arx[weather],baseline"), csv)
        // The week without weather is left out for every row, and said so.
        XCTAssertTrue(r.stderr.contains("left out where a covariate"), r.stderr)
        let plan = try String(contentsOf: out.appendingPathComponent("study.json"), encoding: .utf8)
        XCTAssertTrue(plan.contains("\"joinedData\"") && plan.contains("weather.csv") && plan.contains("\"columns\""), plan)
        // A rerun of the same command resumes: nothing left to train.
        let again = try CLIRunner.run(["study", "--data", stations.path, "--column", "ZloRog", "--join", weather.path, "--target", "daily",
                                       "--grid", grid.path, "--seeds", "1", "--out", out.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("trained 0 trial(s)"), again.stdout)
        // A Slurm script passes the target column and the joined file on to every shard.
        let script = dir.appendingPathComponent("cov.sbatch")
        let slurm = try CLIRunner.run(["study", "--data", stations.path, "--column", "ZloRog", "--join", weather.path, "--target", "daily",
                                       "--grid", grid.path, "--seeds", "1", "--out", dir.appendingPathComponent("cluster").path, "--sbatch", script.path])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        let text = try String(contentsOf: script, encoding: .utf8)
        XCTAssertTrue(text.contains("--column ZloRog") && text.contains("--join \(weather.standardizedFileURL.path)"), text)
    }
}
