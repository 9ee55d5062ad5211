import Foundation
import Recurrent
import RecurrentBench

/// The predict1 figures: single-window latency and batched inference throughput.
struct LatencyFigures {
    var milliseconds: Double
    var calls: Int
    var batchedSamplesPerSecond: Double
    var inferenceBatch: Int
}

/// `rnn bench`'s results as a text table or the stable JSON object.
struct BenchReport {
    var results: [BenchRunner.Result]
    var latency: LatencyFigures?
    /// The GEMM peak measured with the best instruction set of this CPU (`gemmPeakISA`).
    var gemmPeakGFLOPS: Double
    var threads: Int
    var machine: BenchMachine.KernelInfo

    /// `{"configs": {name: {train_samples_per_s, infer_samples_per_s, gflops, peak_fraction, …}}, "predict1_ms", "gemm_peak_gflops", …}`.
    var jsonObject: [String: Any] {
        var configs: [String: Any] = [:]
        for r in results {
            configs[r.config.name] = [
                "train_samples_per_s": r.trainSamplesPerSecond,
                "infer_samples_per_s": r.inferSamplesPerSecond,
                "gflops": r.trainGFLOPS,
                "peak_fraction": r.trainGFLOPS / gemmPeakGFLOPS,
                "epoch_seconds": r.epochSeconds,
                "infer_seconds": r.inferSeconds,
                "final_loss": r.finalLoss,
                "peak_memory_mib": r.peakMemoryMiB,
                "windows": r.config.windows,
                "spec": r.config.spec,
            ] as [String: Any]
        }
        var object: [String: Any] = [
            "configs": configs, "gemm_peak_gflops": gemmPeakGFLOPS, "threads": threads,
            "isa": machine.isa, "gemm_peak_isa": machine.bestISA, "cpu_model": machine.cpuModel,
            "cpu_flags": machine.cpuFeatures, "avx2": machine.isa == "avx2" || machine.isa == "avx512",
        ]
        if let latency {
            object["predict1_ms"] = latency.milliseconds
            object["predict1"] = ["ms": latency.milliseconds, "calls": latency.calls,
                                  "lstm64_infer_samples_per_s": latency.batchedSamplesPerSecond, "infer_batch": latency.inferenceBatch] as [String: Any]
        }
        return object
    }

    var text: String {
        let cpu = machine.cpuModel.isEmpty ? "" : " on \(machine.cpuModel) [\(machine.cpuFeatures.joined(separator: " "))]"
        var lines = ["Recurrent benchmark — \(threads) thread(s), \(machine.isa) kernels\(cpu), GEMM peak \(f(gemmPeakGFLOPS, 1)) GFLOP/s (\(machine.bestISA))",
                     ""]
        let header = ["config", "train samples/s", "infer samples/s", "epoch s", "GFLOP/s", "% of peak", "peak MiB", "loss"]
        var rows: [[String]] = []
        for r in results {
            rows.append([r.config.name, f(r.trainSamplesPerSecond, 0), f(r.inferSamplesPerSecond, 0), f(r.epochSeconds, 3),
                         f(r.trainGFLOPS, 1), f(100 * r.trainGFLOPS / gemmPeakGFLOPS, 1), f(r.peakMemoryMiB, 0), f(r.finalLoss, 5)])
        }
        if !rows.isEmpty { lines += BenchReport.table(header: header, rows: rows) }
        if let latency {
            lines.append("")
            lines.append("predict1: \(f(latency.milliseconds, 4)) ms per window (lab model, median of \(latency.calls) calls); lstm64 batched inference \(f(latency.batchedSamplesPerSecond, 0)) samples/s (batch \(latency.inferenceBatch))")
        }
        return lines.joined(separator: "\n")
    }

    /// Right-aligned columns (the first left-aligned).
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }
}

func f(_ v: Double, _ digits: Int) -> String {
    v.isFinite ? String(format: "%.\(digits)f", v) : "\(v)"
}
