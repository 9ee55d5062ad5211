import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `fit` shows progress on standard error.
public enum ProgressStyle: String, Sendable, Equatable {
    /// A bar on a terminal, lines otherwise.
    case auto
    /// A bar per epoch redrawn with `\r`, with ETA and loss.
    case bar
    /// One plain line per epoch.
    case lines
    /// Nothing.
    case none

    /// `.auto` decided for standard error.
    var resolved: ProgressStyle {
        guard self == .auto else { return self }
        return isatty(2) != 0 ? .bar : .lines
    }
}

/// Writes progress to standard error, throttling bar redraws.
struct ProgressReporter {
    let style: ProgressStyle
    let epochs: Int
    private var lastDraw = -Double.infinity
    private var drewBar = false
    private let clock = Stopwatch()
    private var epochsDone = 0

    init(style: ProgressStyle, epochs: Int) {
        self.style = style.resolved
        self.epochs = epochs
    }

    mutating func batch(epoch: Int, batch: Int, batches: Int, elapsed: Double, loss: Double) {
        guard style == .bar, batch == batches || elapsed - lastDraw >= 0.1 else { return }
        lastDraw = elapsed
        drewBar = true
        write("\r" + ProgressFormatter.bar(epoch: epoch + 1, epochs: epochs, batch: batch, batches: batches, elapsed: elapsed, loss: loss) + "\u{1B}[K")
    }

    mutating func endEpoch(_ record: EpochRecord, order: [String]) {
        guard style != .none else { return }
        let shown = order.compactMap { k in record.metrics[k].map { (k, $0) } }
        epochsDone += 1
        let remaining = clock.elapsed / Double(epochsDone) * Double(epochs - record.epoch - 1)
        let line = ProgressFormatter.epochLine(epoch: record.epoch + 1, epochs: epochs, seconds: record.metrics["seconds"] ?? 0,
                                               metrics: shown, remaining: remaining)
        write((drewBar ? "\r\u{1B}[K" : "") + line + "\n")
        drewBar = false
        lastDraw = -Double.infinity
    }

    mutating func message(_ text: String) {
        guard style != .none else { return }
        write((drewBar ? "\n" : "") + text + "\n")
        drewBar = false
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))  // unbuffered: the line is out before the next batch
    }
}

/// Seconds on a monotonic clock since `start`.
struct Stopwatch {
    private let start = ContinuousClock.now
    var elapsed: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
