import Foundation
import XCTest
@testable import Recurrent

final class IOCSVArrayTests: XCTestCase {
    func parse(_ text: String, header: CSVArray.Header = .auto) throws -> CSVArray {
        try CSVArray.parse(Data(text.utf8), source: "data.csv", header: header)
    }

    func testParsesTwoDimensionalWithHeaderAndCRLF() throws {
        let t = try parse("date,value\r\n1,2.5\r\n3,-4e-3\r\n\r\n")
        XCTAssertEqual(t.header, ["date", "value"])
        XCTAssertEqual(t.values, Tensor(shape: [2, 2], scalars: [1, 2.5, 3, -4e-3]))
    }

    func testNoHeaderSpacesQuotesBOMAndLoneCR() throws {
        let t = try parse("\u{FEFF} 1 , \"2\"\r3,4\n\n5,6")
        XCTAssertNil(t.header)
        XCTAssertEqual(t.values, Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(try parse("\"a,b\",c\n1,2").header, ["a,b", "c"])
        XCTAssertEqual(try parse("1,2\n", header: .present).values.shape, [0, 2])
    }

    func testVectorFromColumnOrRow() throws {
        XCTAssertEqual(try parse("y\n1\n2\n3\n").vector(), Tensor(shape: [3], scalars: [1, 2, 3]))
        XCTAssertEqual(try parse("1,2,3").vector(), Tensor(shape: [3], scalars: [1, 2, 3]))
        XCTAssertEqual(errorMessage { _ = try self.parse("1,2\n3,4").vector(source: "data.csv") },
                       "data.csv: expected a single row or column, found 2 rows × 2 columns")
    }

    func testErrorsNameFileLineColumnAndToken() {
        XCTAssertEqual(errorMessage { _ = try self.parse("a,b\n1,2\n3,x7\n") }, "data.csv: line 3, column 2: 'x7' is not a number")
        XCTAssertEqual(errorMessage { _ = try self.parse("1,2\r\n3,\r\n") }, "data.csv: line 2, column 2: '' is empty; a number is needed")
        XCTAssertEqual(errorMessage { _ = try self.parse("1,2\n3\n") }, "data.csv: line 2: 1 field, expected 2 like the first row")
        XCTAssertEqual(errorMessage { _ = try self.parse("1,2\n3,1e99\n") }, "data.csv: line 2, column 2: '1e99' is out of the Float range")
        XCTAssertEqual(errorMessage { _ = try self.parse("1,\"2\n") }, "data.csv: line 1, column 2: quoted field has no closing quote")
        XCTAssertEqual(errorMessage { _ = try self.parse("\n \n") }, "data.csv: no rows")
        XCTAssertEqual(errorMessage { _ = try self.parse("") }, "data.csv: no rows")
    }

    func testWriteAndReadBackExactly() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("out.csv")
        let m = Tensor(shape: [2, 3], scalars: [0.1, -1e-7, 3.4028235e38, 1, 2.5, .pi])
        try CSVArray.write(m, to: url, header: ["a", "b,c", "d"])
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).hasPrefix("a,\"b,c\",d\n0.1,-1e-07,"))
        let back = try CSVArray.read(from: url)
        XCTAssertEqual(back.header, ["a", "b,c", "d"])
        XCTAssertEqual(back.values.scalars.map(\.bitPattern), m.scalars.map(\.bitPattern))

        let v = Tensor(shape: [3], scalars: [1, 2, 3])
        try CSVArray.write(v, to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "1.0\n2.0\n3.0\n")
        XCTAssertEqual(try CSVArray.readVector(from: url), v)

        XCTAssertEqual(errorMessage { try CSVArray.write(Tensor(shape: [1, 1, 1]), to: url) },
                       "out.csv: only 1-D and 2-D tensors can be written as CSV, not shape [1, 1, 1]")
        XCTAssertEqual(errorMessage { try CSVArray.write(m, to: url, header: ["x"]) }, "out.csv: header has 1 names for 3 columns")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "1.0\n2.0\n3.0\n", "failed writes leave the file")
    }

    func testMissingFileNamesIt() throws {
        let dir = try makeTemporaryDirectory(self)
        XCTAssertTrue(errorMessage { _ = try CSVArray.read(from: dir.appendingPathComponent("none.csv")) }.hasPrefix("none.csv: cannot read:"))
    }
}
