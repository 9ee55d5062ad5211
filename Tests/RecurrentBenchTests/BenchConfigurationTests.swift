import XCTest
@testable import RecurrentBench
@testable import Recurrent

final class BenchConfigurationTests: XCTestCase {
    func testNamedConfigurationsBuildTheDocumentedModels() throws {
        XCTAssertEqual(BenchConfiguration.lab.spec, "lstm:50:seq,dropout:0.2,lstm:50:seq,dropout:0.2,lstm:50,dropout:0.2,dense:1")
        XCTAssertEqual(BenchConfiguration.lstm64.spec, "lstm:64,dense:1")
        XCTAssertEqual(BenchConfiguration.gru128.spec, "gru:128,dense:1")
        var lab = try BenchConfiguration.lab.model()
        try lab.build(inputShape: [60, 1], seed: 0)
        // 3 LSTMs: 4·50·(F + 50 + 2) with F = 1, 50, 50; Dense 50 + 1.
        XCTAssertEqual(lab.parameterCount, 4 * 50 * 53 + 2 * 4 * 50 * 102 + 51)
        XCTAssertEqual(lab.outputShape, [1])
        XCTAssertNil(BenchConfiguration.named("nope"))
        XCTAssertEqual(BenchConfiguration.named("gru128"), .gru128)
    }

    func testFlopCounts() {
        // GRU(128) on 1 feature, T = 96: 2·3·128·(1 + 128)·96 + head 2·128.
        XCTAssertEqual(BenchConfiguration.gru128.forwardFlopsPerSample, Double(2 * 3 * 128 * 129 * 96 + 256))
        XCTAssertEqual(BenchConfiguration.gru128.trainingFlopsPerSample, 3 * BenchConfiguration.gru128.forwardFlopsPerSample)
        let lab = BenchConfiguration.lab
        XCTAssertEqual(lab.forwardFlopsPerSample, Double(2 * 4 * 50 * 51 * 60 + 2 * (2 * 4 * 50 * 100 * 60) + 100))
    }

    func testDataIsSeededAndTargetsAreTheNextValue() {
        let a = BenchData.windows(count: 50, lookback: 8, seed: 1)
        let b = BenchData.windows(count: 50, lookback: 8, seed: 1)
        let c = BenchData.windows(count: 50, lookback: 8, seed: 2)
        XCTAssertEqual(a.x, b.x)
        XCTAssertEqual(a.y, b.y)
        XCTAssertNotEqual(a.x, c.x)
        XCTAssertEqual(a.x.shape, [50, 8, 1])
        XCTAssertEqual(a.y.shape, [50, 1])
        for n in 0..<49 {
            XCTAssertEqual(a.y.scalars[n], a.x.scalars[(n + 1) * 8 + 7], "window \(n + 1) ends with window \(n)'s target")
            XCTAssertEqual(a.x.scalars[n * 8 + 1], a.x.scalars[(n + 1) * 8], "windows slide by one step")
        }
    }

    func testLeastSquaresAndExponent() {
        let line = BenchSweep.leastSquares([1, 2, 3, 4], [3, 5, 7, 9])
        XCTAssertEqual(line.slope, 2, accuracy: 1e-12)
        XCTAssertEqual(line.intercept, 1, accuracy: 1e-12)
        XCTAssertEqual(line.rSquared, 1, accuracy: 1e-12)
        func point(_ axis: BenchSweep.Axis, _ v: Int, _ s: Double) -> BenchSweep.Point {
            BenchSweep.Point(axis: axis, value: v, lookback: 1, units: 1, batchSize: 1, batches: 1, epochSeconds: s)
        }
        let points = [1, 2, 4, 8].map { point(.length, $0, 0.5 * Double($0)) } + [1, 2, 4, 8].map { point(.hidden, $0, Double($0 * $0)) }
        let fits = BenchSweep.fits(points)
        XCTAssertEqual(fits.count, 2)
        XCTAssertEqual(fits[0].axis, .length)
        XCTAssertEqual(fits[0].exponent, 1, accuracy: 1e-9)
        XCTAssertEqual(fits[1].exponent, 2, accuracy: 1e-9)
        let csv = BenchSweep.csv(points)
        XCTAssertTrue(csv.hasPrefix("axis,value,lookback,units,batch_size,batches,epoch_seconds,samples_per_s\n"))
        XCTAssertEqual(csv.split(separator: "\n").count, 9)
    }

    func testRunnerMeasuresATinyConfiguration() throws {
        var runner = BenchRunner()
        runner.timedEpochs = 1
        runner.latencyCalls = 3
        let tiny = BenchConfiguration(name: "tiny", cell: .gru, units: 4, lookback: 5, batchSize: 8, windows: 24)
        let (result, model) = try runner.run(tiny)
        XCTAssertGreaterThan(result.trainSamplesPerSecond, 0)
        XCTAssertGreaterThan(result.inferSamplesPerSecond, 0)
        XCTAssertEqual(result.trainGFLOPS, 24 * tiny.trainingFlopsPerSample / result.epochSeconds / 1e9, accuracy: 1e-9)
        XCTAssertTrue(result.finalLoss.isFinite)
        let ms = try runner.singleWindowLatencyMilliseconds(model, window: BenchData.windows(count: 1, lookback: 5).x)
        XCTAssertGreaterThan(ms, 0)
    }
}
