import XCTest
@testable import Forecast

/// Encodes text to cp1250 by inverting the decoder's table (test helper).
func cp1250Bytes(_ text: String) -> [UInt8] {
    var reverse: [UInt32: UInt8] = [:]
    for (i, code) in TextDecoding.cp1250High.enumerated() where code != 0xFFFD { reverse[code] = UInt8(0x80 + i) }
    return text.unicodeScalars.map { $0.value < 0x80 ? UInt8($0.value) : reverse[$0.value]! }
}

final class TextDecodingTests: XCTestCase {
    func testPolishLettersInCP1250() {
        // ą ć ę ł ń ó ś ź ż Ą Ć Ę Ł Ń Ó Ś Ź Ż as Windows-1250 bytes.
        let bytes: [UInt8] = [0xB9, 0xE6, 0xEA, 0xB3, 0xF1, 0xF3, 0x9C, 0x9F, 0xBF,
                              0xA5, 0xC6, 0xCA, 0xA3, 0xD1, 0xD3, 0x8C, 0x8F, 0xAF]
        XCTAssertEqual(TextDecoding.cp1250(bytes), "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
        XCTAssertEqual(TextDecoding.cp1250(cp1250Bytes("złoty")), "złoty")
        XCTAssertEqual(TextDecoding.cp1250([0x80, 0x81]), "€\u{FFFD}")
    }

    func testAutomaticPrefersValidUTF8() {
        XCTAssertEqual(TextDecoding.utf8OrCP1250(Array("Złoty Róg".utf8)), "Złoty Róg")
        XCTAssertEqual(TextDecoding.utf8OrCP1250(cp1250Bytes("Złoty Róg")), "Złoty Róg")
    }
}
