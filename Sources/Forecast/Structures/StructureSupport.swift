import Foundation
import Recurrent

/// Bad settings of a structure demo (negative sizes, unknown names): one line for the CLI.
public struct StructureDemoError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Settings every structure demo shares.
public struct StructureRun: Sendable {
    public var seed: UInt64
    public var epochs: Int
    /// How `fit` reports progress (demos with their own loop log every few epochs through `log`).
    public var progress: ProgressStyle
    /// Receives progress lines (stderr in the CLI); nil for silence.
    public var log: (@Sendable (String) -> Void)?

    public init(seed: UInt64 = 42, epochs: Int, progress: ProgressStyle = .none, log: (@Sendable (String) -> Void)? = nil) {
        self.seed = seed; self.epochs = epochs; self.progress = progress; self.log = log
    }

    func validate() throws {
        try requireAtLeast(epochs, 1, "epochs")
    }

    /// Logs an epoch line at the first, last and every tenth epoch (over the bar, when one
    /// is drawn).
    func logEpoch(_ epoch: Int, _ loss: Double, extra: String = "") {
        guard let log, epoch == 0 || epoch == epochs - 1 || (epoch + 1) % 10 == 0 else { return }
        if drawsBar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        log(String(format: "epoch %d/%d  loss %.4f", epoch + 1, epochs, loss) + extra)
    }

    /// True when a hand-written training loop should draw `fit`'s bar: `.bar`, or `.auto`
    /// with standard error on a terminal.
    var drawsBar: Bool {
        guard log != nil else { return false }
        switch progress {
        case .bar: return true
        case .auto: return isatty(2) != 0
        default: return false
        }
    }

    /// Redraws the bar after a batch (a hand-written loop's counterpart of `fit`'s).
    func showBatch(epoch: Int, batch: Int, batches: Int, elapsed: Double, loss: Double) {
        guard drawsBar else { return }
        let bar = ProgressFormatter.bar(epoch: epoch + 1, epochs: epochs, batch: batch, batches: batches, elapsed: elapsed, loss: loss)
        FileHandle.standardError.write(Data(("\r" + bar + "\u{1B}[K" + (epoch == epochs - 1 && batch == batches ? "\n" : "")).utf8))
    }
}

/// Checks a size option: `value ≥ minimum`, else an error naming the option.

/// Scores of a classifier on labelled samples.
public struct ClassificationScores: Sendable, Equatable {
    public var classes: Int
    /// `confusion[true][predicted]` counts.
    public var confusion: [[Int]]

    public init(truth: [Int], predicted: [Int], classes: Int) {
        self.classes = classes
        confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (t, p) in zip(truth, predicted) { confusion[t][p] += 1 }
    }

    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    public var accuracy: Double { Double((0..<classes).reduce(0) { $0 + confusion[$1][$1] }) / Double(max(1, count)) }
    /// Accuracy of always predicting the most frequent true class.
    public var majorityAccuracy: Double { Double(confusion.map { $0.reduce(0, +) }.max() ?? 0) / Double(max(1, count)) }
    /// Precision, recall and F1 of class `c` (0 where undefined).
    public func precisionRecallF1(_ c: Int) -> (precision: Double, recall: Double, f1: Double) {
        let tp = Double(confusion[c][c])
        let predicted = Double((0..<classes).reduce(0) { $0 + confusion[$1][c] })
        let actual = Double(confusion[c].reduce(0, +))
        let p = predicted > 0 ? tp / predicted : 0, r = actual > 0 ? tp / actual : 0
        return (p, r, p + r > 0 ? 2 * p * r / (p + r) : 0)
    }
    /// Row-normalised confusion matrix (each true class sums to 1).
    public var normalizedConfusion: [[Double]] {
        confusion.map { row in let s = Double(max(1, row.reduce(0, +))); return row.map { Double($0) / s } }
    }
}

enum StructureMath {
    /// One-hot rows `[N, classes]`.
    static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
        var t = Tensor(shape: [labels.count, classes])
        for (i, l) in labels.enumerated() { t.scalars[i * classes + l] = 1 }
        return t
    }

    /// Index of the largest value of each row of width `width`.
    static func argmaxRows(_ t: Tensor, width: Int) -> [Int] {
        stride(from: 0, to: t.count, by: width).map { base in
            var best = 0
            for j in 1..<width where t.scalars[base + j] > t.scalars[base + best] { best = j }
            return best
        }
    }

    /// A seeded permutation of 0..<n.
    static func permutation(_ n: Int, rng: inout SeededGenerator) -> [Int] {
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        return order
    }

    static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }
}

/// Writes a structure demo's folder: every SVG, `metrics.json` and `report.html`.
enum StructureFiles {
    static func write(to dir: URL, report: HTMLReport, svgs: [(name: String, svg: String)], metrics: [String: Any]) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, svg) in svgs { try writeAtomically(svg, to: dir.appendingPathComponent(name)) }
        try writeAtomically(JSONOutput.string(metrics) + "\n", to: dir.appendingPathComponent("metrics.json"))
        try report.write(to: dir.appendingPathComponent("report.html"))
    }

    /// A line chart of the training loss per epoch.
    static func lossChart(_ losses: [Double], title: String = "Training loss", label: String = "loss") -> String {
        var chart = LineChart(title: title, width: 760, height: 300, legend: .none)
        chart.x = AxisOptions(label: "Epoch")
        chart.y = AxisOptions(label: label)
        chart.add(LineSeries(label, x: losses.indices.map { Double($0 + 1) }, y: losses))
        return chart.svg()
    }

    static func footer() -> String { "Generated by rnn (Recurrent) — sequence structures, the lab's §4." }
}

extension SeededGenerator {
    /// A uniform integer in `range`.
    mutating func nextInt(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(nextUniform() * Float(range.count)).clamped(0, range.count - 1)
    }
}

extension Comparable {
    func clamped(_ lo: Self, _ hi: Self) -> Self { min(max(self, lo), hi) }
}
