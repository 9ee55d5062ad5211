import Foundation
import XCTest

/// The terminal, metrics.json and report.html give the same verdict, against the best baseline.
final class VerdictCLITests: XCTestCase {
    func testDemoLastLineNamesTheWinnerAndAgreesWithTheFiles() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let out = dir.appendingPathComponent("sine")
        let r = try CLIRunner.run(["demo", "sine", "--epochs", "2", "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The table's rows: "  name   rmse   mae".
        var rmse: [String: Double] = [:]
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 3, let v = Double(f[1]), Double(f[2]) != nil { rmse[String(f[0])] = v }
        }
        let model = try XCTUnwrap(rmse["model"], r.stdout)
        let best = try XCTUnwrap(rmse.filter { $0.key != "model" }.min { $0.value < $1.value })
        let last = try XCTUnwrap(r.stdout.split(separator: "\n").last.map(String.init))
        if best.value < model {
            XCTAssertTrue(last.contains("\(best.key) beats the model"), "last line must name the best baseline: \(last)")
        } else {
            XCTAssertTrue(last.contains("the model wins"), last)
        }
        let verdict = try XCTUnwrap(try CLIRunner.json(file: out.appendingPathComponent("metrics.json"))["verdict"] as? [String: Any])
        XCTAssertEqual(verdict["best_baseline"] as? String, best.key)
        XCTAssertEqual(verdict["model_wins"] as? Bool, model < best.value)
        XCTAssertEqual(verdict["text"] as? String, last)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains(model < best.value ? "beats every baseline" : "does NOT beat the best baseline: \(best.key)"))
    }
}
