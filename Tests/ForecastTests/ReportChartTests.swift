import Charts
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Forecast

/// Parses XML and records every element with its attributes and text.
final class XMLCollector: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var text: String }
    var elements: [Element] = []
    private var stack: [Int] = []
    var error: Error?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for i in stack { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }

    /// Parses `text`; fails the test when it is not well-formed.
    static func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> XMLCollector {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = collector
        let ok = parser.parse()
        XCTAssertTrue(ok, "not well-formed XML: \(String(describing: parser.parserError ?? collector.error))", file: file, line: line)
        return collector
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

final class ReportChartTests: XCTestCase {
    /// Points of the `M x,y L x,y ...` paths in a `d` attribute.
    func points(_ d: String) -> [(Double, Double)] {
        d.split(separator: " ").map { part in
            let xy = part.dropFirst().split(separator: ",").map { Double($0)! }
            return (xy[0], xy[1])
        }
    }

    func assertSVGDocument(_ svg: String, width: Double, height: Double, file: StaticString = #filePath, line: UInt = #line) -> XMLCollector {
        let doc = XMLCollector.parse(svg, file: file, line: line)
        XCTAssertEqual(doc.elements.first?.name, "svg", file: file, line: line)
        let root = doc.elements.first?.attributes ?? [:]
        XCTAssertEqual(root["viewBox"], "0 0 \(SVG.num(width)) \(SVG.num(height))", file: file, line: line)
        XCTAssertEqual(root["width"], SVG.num(width), file: file, line: line)
        XCTAssertEqual(root["height"], SVG.num(height), file: file, line: line)
        XCTAssertTrue(root["font-family"]?.contains("sans-serif") ?? false, file: file, line: line)
        // White background first.
        XCTAssertEqual(doc.all("rect").first?.attributes["fill"], "#ffffff", file: file, line: line)
        XCTAssertFalse(svg.contains("NaN") || svg.contains("nan") || svg.contains("inf"), "non-finite number leaked", file: file, line: line)
        return doc
    }

    func testAllSampleChartsAreWellFormedSVG() {
        _ = assertSVGDocument(ReportSamplesTests.sampleLineChart().svg(), width: 900, height: 420)
        _ = assertSVGDocument(ReportSamplesTests.sampleLogChart().svg(), width: 760, height: 400)
        _ = assertSVGDocument(ReportSamplesTests.sampleBarChart().svg(), width: 760, height: 420)
        _ = assertSVGDocument(ReportSamplesTests.sampleHeatmap().svg(), width: 760, height: 520)
        _ = assertSVGDocument(ReportSamplesTests.sampleConfusion().svg(), width: 520, height: 440)
        _ = assertSVGDocument(ReportSamplesTests.sampleScatter().svg(), width: 560, height: 480)
        _ = assertSVGDocument(LineChart().svg(), width: 800, height: 450) // empty chart still renders
        _ = assertSVGDocument(BarChart().svg(), width: 720, height: 420)
    }

    func testGapsSplitTheLine() {
        var chart = LineChart(title: "gaps")
        chart.add(LineSeries("a", x: (0..<9).map(Double.init), y: [1, 2, .nan, 4, 5, 6, nil, 8, 9]))
        chart.add(LineSeries("b", x: [0, 1, 2], y: [3, 3, 3]))
        let doc = assertSVGDocument(chart.svg(), width: 800, height: 450)
        let a = doc.all("path").filter { $0.attributes["class"] == "series-0" }
        XCTAssertEqual(a.count, 3)
        XCTAssertEqual(a.map { points($0.attributes["d"]!).count }, [2, 3, 2])
        XCTAssertEqual(doc.all("path").filter { $0.attributes["class"] == "series-1" }.count, 1)
    }

    func testLogAxisTreatsNonPositiveValuesAsGapsAndLabelsDecades() {
        var chart = LineChart(title: "log", yScale: .log10)
        chart.add(LineSeries("g", x: [0, 1, 2, 3, 4, 5], y: [1e-3, 1e-1, 0, 10, -1, 1e3]))
        let doc = assertSVGDocument(chart.svg(), width: 800, height: 450)
        XCTAssertEqual(doc.all("path").filter { $0.attributes["class"] == "series-0" }.count, 1)
        // Decade labels: "10" followed by a superscript exponent.
        let exponents = doc.all("tspan").map(\.text)
        XCTAssertTrue(exponents.contains("\u{2212}3"), "\(exponents)")
        XCTAssertTrue(exponents.contains("3"), "\(exponents)")
        XCTAssertTrue(doc.all("text").contains { $0.text == "10\u{2212}3" })
    }

    func testDateAxisLabelsAppear() {
        let start = ChartDate(year: 2020, month: 1, day: 1)
        let dates = (0..<(4 * 365)).map { start.addingDays($0) }
        var chart = LineChart(width: 900, height: 400)
        chart.add(LineSeries("x", dates: dates, y: dates.indices.map { sin(Double($0) / 50) }))
        let doc = assertSVGDocument(chart.svg(), width: 900, height: 400)
        let texts = Set(doc.all("text").map(\.text))
        XCTAssertTrue(texts.contains("2021") || texts.contains("2021-01"), "\(texts)")
        XCTAssertFalse(texts.contains("1970"))
    }

    func testLegendAndLabelsStayOutsideTheData() {
        let chart = ReportSamplesTests.sampleLineChart()
        let doc = assertSVGDocument(chart.svg(), width: 900, height: 420)
        let dataX = doc.all("path").flatMap { points($0.attributes["d"]!) }.map(\.0)
        let maxDataX = dataX.max()!
        let legend = doc.all("text").first { $0.text == "observed" }!
        XCTAssertGreaterThan(Double(legend.attributes["x"]!)!, maxDataX + 10)
        // Escaped title text survives the round trip.
        XCTAssertTrue(doc.all("text").contains { $0.text == "PM2.5 at Złoty Róg — daily mean" })
        XCTAssertTrue(doc.all("text").contains { $0.text == "Concentration (µg/m³)" })
        // The train | test marker is labelled on both sides of its line.
        let marker = doc.all("line").first { $0.attributes["stroke-dasharray"] != nil && $0.attributes["x1"] == $0.attributes["x2"] && $0.attributes["stroke"] == ChartColor.darkGray.hex }!
        let mx = Double(marker.attributes["x1"]!)!
        let train = doc.all("text").first { $0.text.contains("train") }!, test = doc.all("text").first { $0.text.contains("test") && !$0.text.contains("train") }!
        XCTAssertLessThan(Double(train.attributes["x"]!)!, mx)
        XCTAssertGreaterThan(Double(test.attributes["x"]!)!, mx)
        // The band is drawn as a polygon.
        XCTAssertEqual(doc.all("polygon").filter { $0.attributes["class"] == "band-0" }.count, 1)
    }

    func testEscapingInSVG() {
        var chart = LineChart(title: "a < b & \"c\" > 'd'")
        chart.y = AxisOptions(label: "<y>", unit: "µg/m³")
        chart.add(LineSeries("R&D", x: [0, 1], y: [0, 1]))
        let svg = chart.svg()
        XCTAssertTrue(svg.contains("a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;"))
        let doc = assertSVGDocument(svg, width: 800, height: 450)
        XCTAssertEqual(doc.all("title").first?.text, "a < b & \"c\" > 'd'")
        XCTAssertTrue(doc.all("text").contains { $0.text == "R&D" })
        XCTAssertTrue(doc.all("text").contains { $0.text == "<y> (µg/m³)" })
    }

    func testBarChartOrderErrorBarsAndBaselines() {
        let chart = ReportSamplesTests.sampleBarChart()
        XCTAssertEqual(chart.orderedBars.map(\.value), [4.02, 4.18, 4.31, 5.40, 6.12])
        var desc = chart; desc.order = .descending
        XCTAssertEqual(desc.orderedBars.map(\.value), [6.12, 5.40, 4.31, 4.18, 4.02])
        let doc = assertSVGDocument(chart.svg(), width: 760, height: 420)
        let bars = doc.all("rect").filter { $0.attributes["class"] == "bar" }
        XCTAssertEqual(bars.count, 5)
        let heights = bars.map { Double($0.attributes["height"]!)! }
        XCTAssertEqual(heights, heights.sorted())
        XCTAssertEqual(doc.all("line").filter { $0.attributes["class"] == "error-bar" }.count, 4) // zero error: no bar
        XCTAssertEqual(doc.all("line").filter { $0.attributes["class"] == "reference" }.count, 2)
        let texts = doc.all("text").map(\.text)
        XCTAssertTrue(texts.contains("seasonal naive"))
        XCTAssertTrue(texts.contains("4.02"))
        // Long labels are wrapped rather than overlapping: no line wider than its slot.
        XCTAssertFalse(texts.contains("Bidirectional LSTM 2×64 units"))
        XCTAssertTrue(texts.contains { $0.hasPrefix("Bidirectional") })
        XCTAssertTrue(texts.contains { $0.hasSuffix("units") && !$0.hasPrefix("Bidirectional") })
    }

    func testBarLabelModes() {
        XCTAssertEqual(BarChart.labelMode(["a", "bb"], slot: 100), .horizontal)
        XCTAssertEqual(BarChart.labelMode(["long label here"], slot: 60), .wrapped([["long", "label", "here"]]))
        XCTAssertEqual(BarChart.labelMode(["Supercalifragilistic"], slot: 40), .rotated)
    }

    func testNegativeBarsGoBelowZero() {
        var chart = BarChart()
        chart.add(Bar("up", value: 3)); chart.add(Bar("down", value: -2, error: 0.5))
        let doc = assertSVGDocument(chart.svg(), width: 720, height: 420)
        let bars = doc.all("rect").filter { $0.attributes["class"] == "bar" }
        let y0 = Double(bars[0].attributes["y"]!)! + Double(bars[0].attributes["height"]!)!
        XCTAssertEqual(Double(bars[1].attributes["y"]!)!, y0, accuracy: 0.01) // both start at the zero line
        XCTAssertTrue(doc.all("text").contains { $0.text == "\u{2212}2.00" })
    }

    func testHeatmapCellsAnnotationsAndColorScale() {
        let chart = ReportSamplesTests.sampleConfusion()
        let doc = assertSVGDocument(chart.svg(), width: 520, height: 440)
        let cells = doc.all("rect").filter { $0.attributes["class"] == "cell" }
        XCTAssertEqual(cells.count, 9)
        let texts = doc.all("text").map(\.text)
        for v in ["812", "41", "2", "57", "390", "23", "3", "31", "97"] { XCTAssertTrue(texts.contains(v), v) }
        // Darkest cell for the largest count, white text on it.
        XCTAssertEqual(cells[0].attributes["fill"], ColorScale.blues.color(at: 1).hex)
        XCTAssertEqual(doc.all("text").first { $0.text == "812" }?.attributes["fill"], "#ffffff")
        XCTAssertEqual(doc.all("text").first { $0.text == "41" }?.attributes["fill"], "#1a1a1a")

        let heat = ReportSamplesTests.sampleHeatmap()
        let hdoc = assertSVGDocument(heat.svg(), width: 760, height: 520)
        XCTAssertEqual(hdoc.all("rect").filter { $0.attributes["class"] == "cell" }.count, 12 * 12)
        XCTAssertEqual(hdoc.all("rect").filter { $0.attributes["fill"] == "#eeeeee" }.count, 1) // the NaN cell
        XCTAssertFalse(hdoc.all("text").contains { $0.text == "-0.0" || $0.text == "\u{2212}0.0" })
    }

    func testColorScaleEnds() {
        XCTAssertEqual(ColorScale.viridis.color(at: 0).hex, "#440154")
        XCTAssertEqual(ColorScale.viridis.color(at: 1).hex, "#fde725")
        XCTAssertEqual(ColorScale.diverging(center: 0).color(at: 0.5).hex, "#f7f7f7")
        XCTAssertEqual(ChartColor(hex: "#1F77B4").hex, "#1f77b4")
    }

    func testScatterUsesEqualAxesAndIdentityLine() {
        let chart = ReportSamplesTests.sampleScatter()
        let line = chart.lineChart
        XCTAssertEqual(line.x.min, line.y.min)
        XCTAssertEqual(line.x.max, line.y.max)
        XCTAssertEqual(line.series.first?.label, "y = x")
        XCTAssertTrue(line.series.dropFirst().allSatisfy { !$0.showLine && $0.marker != nil })
        let doc = assertSVGDocument(chart.svg(), width: 560, height: 480)
        XCTAssertEqual(doc.all("circle").count, 150 + 1) // points plus the legend swatch
        XCTAssertEqual(doc.all("path").filter { $0.attributes["class"] == "series-1" }.count, 0)
    }

    func testSeveralChartsGetDistinctClipIds() {
        let a = ReportSamplesTests.sampleLineChart().svg(), b = ReportSamplesTests.sampleLogChart().svg()
        func clipId(_ s: String) -> String {
            let doc = XMLCollector.parse(s)
            return doc.all("clipPath").first!.attributes["id"]!
        }
        XCTAssertNotEqual(clipId(a), clipId(b))
    }
}

/// Axis titles keep clear of the tick labels (a superscript exponent used to push the log
/// axis' labels left into the rotated y title).
final class ReportAxisTitleTests: XCTestCase {
    func assertYTitleClearsTickLabels(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let doc = XMLCollector.parse(svg, file: file, line: line)
        let texts = doc.all("text")
        guard let title = texts.first(where: { $0.attributes["transform"]?.hasPrefix("rotate(-90") ?? false }),
              let titleX = title.attributes["x"].flatMap(Double.init) else {
            return XCTFail("no rotated y title", file: file, line: line)
        }
        // The rotated title's glyphs reach at most ~0.3 em right of its baseline.
        let titleRight = titleX + 0.3 * Style.axisTitleSize
        let yLabels = texts.filter { $0.attributes["text-anchor"] == "end" && $0.attributes["transform"] == nil }
        XCTAssertGreaterThanOrEqual(yLabels.count, 3, file: file, line: line)
        let ends = Set(yLabels.compactMap { $0.attributes["x"] })
        XCTAssertEqual(ends.count, 1, "every y tick label ends at the tick: \(ends)", file: file, line: line)
        for label in yLabels {
            let x = Double(label.attributes["x"]!)!
            let width = TextMetrics.width(label.text, size: Style.tickSize)
            XCTAssertGreaterThan(x - width, titleRight + 2, "tick label '\(label.text)' runs into the y title", file: file, line: line)
        }
    }

    func testLogAxisLabelsWithNegativeExponentsClearTheTitle() {
        var chart = LineChart(title: "norms", width: 900, height: 420, x: AxisOptions(label: "distance k"),
                              y: AxisOptions(label: "Gradient norm"), yScale: .log10)
        chart.add(LineSeries("g", x: Array(0...100).map(Double.init), y: (0...100).map { pow(10, -0.21 * Double($0)) }))
        assertYTitleClearsTickLabels(chart.svg())
    }

    func testLinearAxisLabelsClearTheTitle() {
        var chart = LineChart(title: "loss", x: AxisOptions(label: "epoch"), y: AxisOptions(label: "loss", unit: "scaled"))
        chart.add(LineSeries("l", x: [1, 2, 3, 4], y: [0.25, 0.125, 0.0625, 0.03125]))
        assertYTitleClearsTickLabels(chart.svg())
    }

    func testXAxisTitleIsBelowTheTickLabels() {
        var chart = LineChart(title: "t", width: 600, height: 300, x: AxisOptions(label: "Distance from the loss k (steps)"),
                              y: AxisOptions(label: "norm"), yScale: .log10)
        chart.add(LineSeries("g", x: [0, 50, 100], y: [1, 1e-10, 1e-20]))
        let doc = XMLCollector.parse(chart.svg())
        let texts = doc.all("text")
        guard let title = texts.first(where: { $0.text == "Distance from the loss k (steps)" }),
              let titleY = title.attributes["y"].flatMap(Double.init) else { return XCTFail("no x title") }
        let xLabels = texts.filter { $0.attributes["text-anchor"] == "middle" && ["0", "20", "40", "60", "80", "100"].contains($0.text) }
        XCTAssertFalse(xLabels.isEmpty)
        for label in xLabels {
            // Tick label baseline plus its descent must stay above the title's cap height.
            let baseline = Double(label.attributes["y"]!)!
            XCTAssertLessThan(baseline + 0.25 * Style.tickSize, titleY - 0.75 * Style.axisTitleSize, "'\(label.text)' overlaps the x title")
        }
    }
}
