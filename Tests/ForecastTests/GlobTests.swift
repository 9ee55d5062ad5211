import XCTest
@testable import Forecast

final class GlobTests: XCTestCase {
    /// A plainly recursive matcher, exponential but obviously right, as the oracle.
    private func oracle(_ n: ArraySlice<UInt8>, _ p: ArraySlice<UInt8>) -> Bool {
        guard let c = p.first else { return n.isEmpty }
        if c == UInt8(ascii: "*") { return oracle(n, p.dropFirst()) || (!n.isEmpty && oracle(n.dropFirst(), p)) }
        guard let x = n.first else { return false }
        if c == UInt8(ascii: "?") { return oracle(n.dropFirst(), p.dropFirst()) }
        return x == c && oracle(n.dropFirst(), p.dropFirst())
    }

    func testAgreesWithTheOracleOnRandomPatterns() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab*?".utf8)
        for _ in 0..<20_000 {
            let name = (0..<Int.random(in: 0...7, using: &rng)).map { _ in Array("ab".utf8)[Int.random(in: 0...1, using: &rng)] }
            let pattern = (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet[Int.random(in: 0...3, using: &rng)] }
            XCTAssertEqual(Glob.matches(name, pattern), oracle(name[...], pattern[...]),
                           "\(String(decoding: name, as: UTF8.self)) ~ \(String(decoding: pattern, as: UTF8.self))")
        }
    }

    func testClassesAndNames() {
        func m(_ n: String, _ p: String) -> Bool { Glob.matches(Array(n.utf8), Array(p.utf8)) }
        XCTAssertTrue(m("archiwum_tab_a_2021.csv", "archiwum_tab_a_20[12][0-9].csv"))
        XCTAssertFalse(m("archiwum_tab_a_2031.csv", "archiwum_tab_a_20[12][0-9].csv"))
        XCTAssertTrue(m("x2.csv", "x[!1].csv"))
        XCTAssertFalse(m("x1.csv", "x[^1].csv"))
        XCTAssertTrue(m("a[b", "a[b"))                       // an unclosed class is a literal '['
        XCTAssertTrue(m("anything", "*"))
        XCTAssertFalse(m("", "?"))
    }

    func testManyStarsStayFast() {
        let name = Array(String(repeating: "a", count: 200).utf8)
        let pattern = Array((String(repeating: "*", count: 40) + "x").utf8)
        let start = Date()
        XCTAssertFalse(Glob.matches(name, pattern))
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
    }
}
