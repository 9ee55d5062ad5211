import Foundation
import XCTest
@testable import Recurrent

final class IOAtomicFileTests: XCTestCase {
    struct Boom: Error {}

    func testWritesAndReplaces() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("f.bin")
        try AtomicFile.write(Data([1, 2, 3]), to: url)
        XCTAssertEqual(try Data(contentsOf: url), Data([1, 2, 3]))
        try AtomicFile.write(to: url) { sink in
            try sink.write([9])
            try sink.write("ab")
            XCTAssertEqual(sink.byteCount, 3)
        }
        XCTAssertEqual(try Data(contentsOf: url), Data([9, 97, 98]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["f.bin"])
    }

    func testTemporariesOfDeadWritersAreRemovedLiveOnesKept() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("model.safetensors")
        // a pid that cannot exist (above the kernel's pid_max) and our own, which is alive
        let dead = dir.appendingPathComponent(".model.safetensors.tmp-2147483646-abc")
        let live = dir.appendingPathComponent(".model.safetensors.tmp-\(getpid())-def")
        let other = dir.appendingPathComponent(".other.tmp-2147483646-abc")
        for f in [dead, live, other] { try Data([1]).write(to: f) }
        try AtomicFile.write(Data([7]), to: url)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        XCTAssertEqual(names, ["model.safetensors", live.lastPathComponent, other.lastPathComponent])
    }

    func testFailureLeavesOldFileAndNoTemporary() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("f.bin")
        try AtomicFile.write(Data([1]), to: url)
        XCTAssertThrowsError(try AtomicFile.write(to: url) { sink in
            try sink.write([7, 7, 7])
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try Data(contentsOf: url), Data([1]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["f.bin"])
    }

    func testErrorsNameThePath() throws {
        let dir = try makeTemporaryDirectory(self)
        let missingDir = dir.appendingPathComponent("no/such/dir/f.bin")
        XCTAssertTrue(errorMessage { try AtomicFile.write(Data([1]), to: missingDir) }.contains("no/such/dir/f.bin: cannot write:"))
        XCTAssertTrue(errorMessage { try AtomicFile.write(Data([1]), to: dir) }.hasSuffix("cannot write: it is a directory"))
    }
}
