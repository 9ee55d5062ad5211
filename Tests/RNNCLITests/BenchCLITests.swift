import Foundation
import Recurrent
import RecurrentBench
import XCTest

/// `rnn bench` end to end on tiny settings (the debug binary; the published figures come
/// from the release build through bench/compare.sh).
final class BenchCLITests: XCTestCase {
    /// The `rnn` executable beside the test bundle, or `$RNN_BINARY`.
    func binary() throws -> URL {
        if let env = ProcessInfo.processInfo.environment["RNN_BINARY"], FileManager.default.isExecutableFile(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        var folders: [URL] = []
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") { folders.append(b.bundleURL.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        for folder in folders where FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("rnn").path) {
            return folder.appendingPathComponent("rnn")
        }
        throw XCTSkip("rnn binary not found beside the test bundle")
    }

    func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testJSONHasTheStableKeys() throws {
        let r = try run(["bench", "--config", "lstm64", "--config", "predict1", "--windows", "40", "--epochs", "1", "--json", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let configs = try XCTUnwrap(object["configs"] as? [String: Any])
        XCTAssertEqual(Array(configs.keys), ["lstm64"])
        let lstm = try XCTUnwrap(configs["lstm64"] as? [String: Any])
        for key in ["train_samples_per_s", "infer_samples_per_s", "gflops", "peak_fraction"] {
            let v = try XCTUnwrap(lstm[key] as? Double, key)
            XCTAssertGreaterThan(v, 0, key)
        }
        XCTAssertGreaterThan(try XCTUnwrap(object["predict1_ms"] as? Double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(object["gemm_peak_gflops"] as? Double), 0)
        // The kernels that ran, the best ones this CPU has (the peak's), and what the CPU reported.
        let isa = try XCTUnwrap(object["isa"] as? String)
        XCTAssertEqual(isa, Kernels.isa.rawValue)
        XCTAssertEqual(try XCTUnwrap(object["gemm_peak_isa"] as? String), Kernels.bestISA.rawValue)
        XCTAssertNotNil(object["cpu_model"] as? String)
        let flags = try XCTUnwrap(object["cpu_flags"] as? [String])
        XCTAssertEqual(flags, Kernels.cpuFeatures)
        if Kernels.bestISA == .avx512 { XCTAssertTrue(flags.contains("avx512f"), "\(flags)") }
    }

    func testExportWritesNPYWindows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["bench", "--export-data", dir.path, "--config", "lab", "--windows", "10", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let x = try Data(contentsOf: dir.appendingPathComponent("lab_x.npy"))
        let y = try Data(contentsOf: dir.appendingPathComponent("lab_y.npy"))
        XCTAssertEqual(Array(x.prefix(6)), [0x93] + Array("NUMPY".utf8))
        XCTAssertTrue(String(decoding: x.prefix(128), as: UTF8.self).contains("(10, 60, 1)"))
        XCTAssertTrue(String(decoding: y.prefix(128), as: UTF8.self).contains("(10, 1)"))
        // Header (a multiple of 64 bytes in NPY v1) plus 10·60 float32 values.
        XCTAssertEqual((x.count - 10 * 60 * 4) % 64, 0)
    }

    func testUnknownConfigurationIsAOneLineError() throws {
        let r = try run(["bench", "--config", "huge"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("unknown configuration 'huge'"), r.stderr)
    }
}
