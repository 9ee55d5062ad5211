import Charts
import Foundation
import Forecast
import LabDemos
import Recurrent
import RecurrentBench

/// The sweep's chart and text summary: cost relative to the base point against size
/// relative to the base value, with the line of exact proportionality for comparison.
enum BenchSweepChart {
    static func base(_ axis: BenchSweep.Axis, _ s: BenchSweep) -> Int {
        switch axis {
        case .length: return s.baseLookback
        case .hidden: return s.baseUnits
        case .batch: return s.baseBatch
        }
    }

    static func svg(points: [BenchSweep.Point], sweep: BenchSweep) -> String {
        var chart = LineChart(title: "Epoch time against size (LSTM→Dense, \(sweep.batchesPerEpoch) batches per epoch)",
                              x: AxisOptions(label: "size / base size (T=\(sweep.baseLookback), H=\(sweep.baseUnits), B=\(sweep.baseBatch))", includeZero: true),
                              y: AxisOptions(label: "epoch time / base epoch time", includeZero: true), xScale: .linear)
        var maxX = 1.0
        for axis in BenchSweep.Axis.allCases {
            let p = points.filter { $0.axis == axis }
            guard let basePoint = p.first(where: { $0.value == base(axis, sweep) }) ?? p.first else { continue }
            let xs = p.map { Double($0.value) / Double(base(axis, sweep)) }
            maxX = max(maxX, xs.max() ?? 1)
            let label = axis == .length ? "sequence length T" : axis == .hidden ? "hidden size H" : "batch size B"
            chart.add(LineSeries(label, x: xs, y: p.map { $0.epochSeconds / basePoint.epochSeconds }, marker: .circle))
        }
        chart.add(LineSeries("proportional", x: [0, maxX], y: [0, maxX], color: .darkGray, dash: .dashed))
        return chart.svg()
    }

    static func text(points: [BenchSweep.Point], fits: [BenchSweep.Fit], sweep: BenchSweep) -> String {
        var lines = ["Scaling sweep: LSTM(H) → Dense(1), \(sweep.batchesPerEpoch) batches per epoch; base T=\(sweep.baseLookback), H=\(sweep.baseUnits), B=\(sweep.baseBatch)", ""]
        lines += BenchReport.table(header: ["axis", "value", "ms/epoch", "samples/s"],
                                   rows: points.map { [$0.axis.rawValue, String($0.value), f($0.epochSeconds * 1000, 2), f($0.samplesPerSecond, 0)] })
        lines.append("")
        lines += BenchReport.table(header: ["axis", "slope ms/unit", "intercept ms", "R²", "log-log exponent"],
                                   rows: fits.map { [$0.axis.rawValue, f($0.slope * 1000, 4), f($0.intercept * 1000, 2), f($0.rSquared, 4), f($0.exponent, 3)] })
        return lines.joined(separator: "\n")
    }
}
