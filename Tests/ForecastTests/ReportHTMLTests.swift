import Charts
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Forecast

final class ReportHTMLTests: XCTestCase {
    func testEscaping() {
        XCTAssertEqual(Escape.xml("<a href=\"x\">Tom & 'Jerry'</a>"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        XCTAssertEqual(Escape.xml("µg/m³ Złoty Róg"), "µg/m³ Złoty Róg")
        XCTAssertEqual(Escape.xml("a\u{0}b\u{1B}c\nd"), "abc\nd")
        XCTAssertEqual(Escape.html("&amp;"), "&amp;amp;")
    }

    func testReportIsSelfContainedAndInlinesEverySVG() throws {
        let report = ReportSamplesTests.sampleReport()
        let html = report.html()
        let figures = report.sections.flatMap(\.blocks).compactMap { block -> String? in
            if case .figure(let svg, _) = block { return svg }
            return nil
        }
        XCTAssertEqual(figures.count, 6)
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, figures.count)
        for svg in figures {
            // Everything after the root tag is inlined verbatim.
            let body = svg[svg.range(of: ">")!.upperBound...]
            XCTAssertTrue(html.contains(body), "figure not inlined")
        }
        XCTAssertFalse(html.lowercased().contains("http"))
        XCTAssertFalse(html.lowercased().contains("src="))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.lowercased().contains("<link"))
        XCTAssertFalse(html.contains("url(http"))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<meta charset=\"utf-8\"/>"))
        XCTAssertTrue(html.contains("<style>"))
        // Text survives as UTF-8 and is escaped.
        XCTAssertTrue(html.contains("Złoty Róg"))
        XCTAssertTrue(html.contains("µg/m³"))
        XCTAssertTrue(html.contains("&lt;draft &amp; unreviewed&gt;"))
        XCTAssertFalse(html.contains("<draft"))
        XCTAssertTrue(html.contains("<pre><code>rnn train --data stations/zloty_rog.csv"))
        XCTAssertTrue(html.contains("&gt; &quot;report.html&quot;"))
    }

    func testReportIsWellFormedXML() {
        let html = ReportSamplesTests.sampleReport().html()
        let doc = XMLCollector.parse(html)
        XCTAssertEqual(doc.all("svg").count, 6)
        XCTAssertEqual(doc.all("figcaption").count, 6)
        XCTAssertEqual(doc.all("h1").first?.text, "PM2.5 forecast — Złoty Róg station")
        XCTAssertEqual(doc.all("p").first { $0.attributes["class"] == "subtitle" }?.text,
                       "LSTM vs. baselines, daily means 2020–2023 <draft & unreviewed>")
        XCTAssertEqual(doc.all("h2").map(\.text), ["Data", "Results", "Reproduce"])
        XCTAssertEqual(doc.all("dt").map(\.text), ["Source", "Rows", "Range", "Unit", "Split"])
        XCTAssertEqual(doc.all("code").first?.text.hasSuffix("> \"report.html\""), true)
    }

    func testTableHighlightsBestAndRightAlignsNumbers() {
        var t = Table(header: ["Model", "RMSE", "R²", "note"])
        t.addRow(["a", .number(4.5, 2), .number(0.80, 2), "x < y"])
        t.addRow(["b", .number(3.25, 2), .number(0.91, 2), ""])
        t.addRow(["c", .number(3.25, 2), .number(-0.5, 2), .empty])
        t.best = [1: .lowest, 2: .highest]
        XCTAssertEqual(t.bestRows(column: 1), [1, 2])
        XCTAssertEqual(t.bestRows(column: 2), [1])
        XCTAssertEqual(t.bestRows(column: 0), [])
        let doc = XMLCollector.parse(t.html)
        let ths = doc.all("th")
        XCTAssertEqual(ths.map(\.text), ["Model", "RMSE", "R²", "note"])
        XCTAssertEqual(ths.map { $0.attributes["class"] ?? "" }, ["", "num", "num", ""])
        let tds = doc.all("td")
        XCTAssertEqual(tds.count, 12)
        XCTAssertEqual(tds[1].attributes["class"], "num")
        XCTAssertEqual(tds[5].attributes["class"], "num best")
        XCTAssertEqual(tds[6].attributes["class"], "num best")
        XCTAssertEqual(tds[9].attributes["class"], "num best")
        XCTAssertEqual(tds[10].text, "\u{2212}0.50")
        XCTAssertEqual(tds[3].text, "x < y")
        XCTAssertTrue(t.html.contains("x &lt; y"))
    }

    func testCellFormatting() {
        XCTAssertEqual(TableCell.number(3.14159, 3).text, "3.142")
        XCTAssertEqual(TableCell(integerLiteral: 12).text, "12")
        XCTAssertEqual(TableCell.number(.nan, decimals: 2).text, "—")
        XCTAssertEqual(TableCell.number(-1, 1).text, "\u{2212}1.0")
    }

    func testAtomicWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("report.html")
        try writeAtomically("first Złoty Róg", to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "first Złoty Róg")
        try writeAtomically(Data("second".utf8), to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["report.html"])

        // Renaming onto a directory fails: the error is thrown and the temporary file removed.
        let blocker = dir.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: blocker.appendingPathComponent("child"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try writeAtomically("x", to: blocker))
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)), ["report.html", "taken"])
        // A missing directory fails too, leaving nothing behind.
        XCTAssertThrowsError(try writeAtomically("x", to: dir.appendingPathComponent("missing/report.html")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("missing").path))

        try ReportSamplesTests.sampleReport().write(to: url)
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).contains("<svg "))
    }
}
