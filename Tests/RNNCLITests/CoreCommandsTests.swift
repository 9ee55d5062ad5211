import Foundation
import XCTest
import Recurrent

/// The engine's commands run as a user runs them: `rnn demo sine`, `predict`, `summary`,
/// and their refusals of bad input.
final class CoreCommandsTests: XCTestCase {
    func testDemoSineBeatsPersistenceAndWritesItsFiles() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let out = dir.appendingPathComponent("sine")
        let r = try CLIRunner.run(["demo", "sine", "--epochs", "40", "--out", out.path, "--json", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try CLIRunner.json(r.stdout)
        let test = json["test"] as? [String: Any]
        let model = (test?["model"] as? [String: Any])?["rmse"] as? Double ?? .nan
        let persistence = (test?["persistence"] as? [String: Any])?["rmse"] as? Double ?? .nan
        XCTAssertLessThan(model, 0.6 * persistence, "the LSTM must clearly beat persistence (model \(model), persistence \(persistence))")
        XCTAssertEqual(json["epochs"] as? Int, 40)
        XCTAssertNotNil(json["train_seconds"] as? Double)
        XCTAssertEqual(json["model_path"] as? String, out.appendingPathComponent("model.safetensors").path)
        for file in ["model.safetensors", "predictions.csv", "metrics.json", "history.csv", "report.html", "test.svg", "history.svg", "loss.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        let predictions = try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8)
        XCTAssertTrue(predictions.hasPrefix("step,actual,model,persistence"), predictions.prefix(80).description)
        XCTAssertEqual(predictions.split(separator: "\n").count, 1 + 96, "header + 96 test windows")
    }

    func testSameSeedGivesTheSameModelFile() throws {
        let dir = try CLIRunner.tempDir(for: self)
        for name in ["a", "b"] {
            let r = try CLIRunner.run(["demo", "--epochs", "3", "--seed", "7", "--out", dir.appendingPathComponent(name).path, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let a = try Data(contentsOf: dir.appendingPathComponent("a/model.safetensors"))
        let b = try Data(contentsOf: dir.appendingPathComponent("b/model.safetensors"))
        XCTAssertEqual(a, b, "same seed ⇒ bit-identical weights")
    }

    private func savedModel(in dir: URL) throws -> (url: URL, model: Sequential) {
        var model = Sequential { LSTM(4, returnSequences: true); GRU(3); Dense(2) }
        try model.build(inputShape: [5, 2], seed: 3)
        let url = dir.appendingPathComponent("model.safetensors")
        try model.save(to: url)
        return (url, model)
    }

    func testPredictWritesWhatTheModelReturns() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let (modelURL, model) = try savedModel(in: dir)
        var rng = SeededGenerator(seed: 1)
        let x = Tensor(shape: [3, 5, 2], scalars: (0..<30).map { _ in rng.nextUniform(-1, 1) })
        let input = dir.appendingPathComponent("x.npy"), output = dir.appendingPathComponent("y.npy")
        try NPY.write(x, to: input)
        let r = try CLIRunner.run(["predict", "--model", modelURL.path, "--input", input.path, "--output", output.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let y = try NPY.read(from: output)
        XCTAssertEqual(y, try model.predict(x), "the CLI's output is the model's output, bit for bit")

        let csvOut = dir.appendingPathComponent("y.csv")
        XCTAssertEqual(try CLIRunner.run(["predict", "--model", modelURL.path, "--input", input.path, "--output", csvOut.path]).status, 0)
        XCTAssertEqual(try CSVArray.read(from: csvOut).values.shape, [3, 2])
    }

    func testSummaryReportsLayersAndParameters() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let (modelURL, model) = try savedModel(in: dir)
        let r = try CLIRunner.run(["summary", "--model", modelURL.path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try CLIRunner.json(r.stdout)
        XCTAssertEqual(json["parameters"] as? Int, model.parameterCount)
        XCTAssertEqual((json["layers"] as? [[String: Any]])?.map { $0["type"] as? String }, ["LSTM", "GRU", "Dense"])
        let text = try CLIRunner.run(["summary", "--model", modelURL.path])
        XCTAssertTrue(text.stdout.contains("Total params: \(model.parameterCount)"), text.stdout)
    }

    func testBadInputsGetOneLineErrorsAndNoOutputFile() throws {
        let dir = try CLIRunner.tempDir(for: self)
        let (modelURL, _) = try savedModel(in: dir)
        let output = dir.appendingPathComponent("out.npy")
        func predict(_ input: URL, model: URL? = nil) throws -> CLIRunner.Output {
            try CLIRunner.run(["predict", "--model", (model ?? modelURL).path, "--input", input.path, "--output", output.path])
        }

        let wrongShape = dir.appendingPathComponent("wrong.npy")
        try NPY.write(Tensor(shape: [2, 5, 3]), to: wrongShape)
        assertCleanFailure(try predict(wrongShape), mentions: "shape")

        let withNaN = dir.appendingPathComponent("nan.npy")
        var t = Tensor(shape: [1, 5, 2])
        t.scalars[3] = .nan
        try NPY.write(t, to: withNaN)
        assertCleanFailure(try predict(withNaN), mentions: "non-finite")

        let empty = dir.appendingPathComponent("empty.npy")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        assertCleanFailure(try predict(empty), mentions: "empty.npy")

        let truncated = dir.appendingPathComponent("truncated.npy")
        let full = NPY.encode(Tensor(shape: [2, 5, 2], repeating: 1))
        try full.prefix(full.count - 7).write(to: truncated)
        assertCleanFailure(try predict(truncated), mentions: "truncated.npy")

        // A model file whose architecture does not match its tensors.
        var file = try Safetensors.read(from: modelURL)
        file.metadata[ModelFile.architectureKey] = file.metadata[ModelFile.architectureKey]!.replacingOccurrences(of: "\"units\":3", with: "\"units\":5")
        let other = dir.appendingPathComponent("other.safetensors")
        try file.write(to: other)
        let good = dir.appendingPathComponent("good.npy")
        try NPY.write(Tensor(shape: [1, 5, 2]), to: good)
        assertCleanFailure(try predict(good, model: other), mentions: "other.safetensors")

        assertCleanFailure(try predict(good, model: dir.appendingPathComponent("missing.safetensors")), mentions: "missing.safetensors")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path), "no partial output after failures")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary files left behind")
    }
}
