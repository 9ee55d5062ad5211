import Charts
import Foundation

/// The figures of a study report.
enum StudyCharts {
    static let palette = Palette.categorical

    /// Test RMSE per architecture (mean ± sd over seeds) with the baselines as lines.
    static func rmseBars(_ s: StudySummary) -> String {
        var chart = BarChart(title: s.plan.seeds < 2 ? "Test RMSE per architecture (one seed)" : "Test RMSE per architecture (mean ± sd over seeds)", width: 900, height: 440,
                             y: AxisOptions(label: "RMSE", unit: s.plan.unit.isEmpty ? nil : s.plan.unit), valueDecimals: 2)
        for a in s.architectures where a.rmse.mean.isFinite { chart.add(Bar(a.name, value: a.rmse.mean, error: a.runs < 2 ? nil : a.rmse.sd)) }
        for (i, b) in s.reference.baselines.enumerated() where b.rmse.isFinite {
            chart.add(ReferenceLine(y: b.rmse, label: b.name, color: palette[(i + 1) % palette.count]))
        }
        return chart.svg()
    }

    /// Training and validation loss of one architecture's median run.
    static func lossCurves(_ a: ArchitectureSummary) -> String? {
        guard let run = a.medianRun, !run.loss.isEmpty else { return nil }
        var chart = LineChart(title: "\(a.name) — seed \(run.seed)", width: 440, height: 260,
                              x: AxisOptions(label: "epoch"), y: AxisOptions(label: "loss (scaled)"), legend: .bottom)
        let epochs = (1...run.loss.count).map(Double.init)
        chart.add(LineSeries("training", x: epochs, y: run.loss, color: palette[0]))
        if run.valLoss.contains(where: { $0.isFinite }) {
            chart.add(LineSeries("validation", x: epochs, y: run.valLoss, color: palette[1]))
        }
        if let best = run.bestEpoch { chart.add(VerticalMarker(x: Double(best + 1), label: "kept")) } // bestEpoch is 0-based
        return chart.svg()
    }

    /// First-step values of a flattened `[window][step]` array.
    static func firstSteps(_ values: [Double], horizon h: Int) -> [Double] {
        stride(from: 0, to: values.count, by: max(1, h)).map { values[$0] }
    }

    /// The first test-period window of `length` steps starting at midnight in one of `months`.
    static func week(_ times: [LocalDateTime?], months: Set<Int>, length: Int) -> Range<Int>? {
        guard let start = times.indices.first(where: { i in
            guard let t = times[i] else { return false }
            return months.contains(t.month) && t.hour == 0 && i + length <= times.count
        }) else { return nil }
        return start..<(start + length)
    }

    /// Actual vs one-step-ahead predictions of the best model and the best baseline over a week.
    static func weekChart(_ s: StudySummary, title: String, months: Set<Int>) -> String? {
        guard let best = s.best, let baseline = s.reference.bestBaseline else { return nil }
        let h = s.reference.horizon
        let times = firstSteps(s.reference.times.indices.map(Double.init), horizon: h).map { s.reference.times[Int($0)] }.map(StudyReference.time)
        let length = s.plan.frequency == .hourly ? 168 : 7
        guard let range = week(times, months: months, length: length) else { return nil }
        let dates = times[range].map { t in t.map { ChartDate(year: $0.year, month: $0.month, day: $0.day, hour: $0.hour) } ?? ChartDate(year: 1970, month: 1, day: 1) }
        let actual = Array(firstSteps(s.reference.actual, horizon: h)[range])
        let model = Array(firstSteps(best.ensemble, horizon: h)[range])
        let base = Array(firstSteps(baseline.predictions, horizon: h)[range])
        var chart = LineChart(title: title, width: 900, height: 340, x: AxisOptions(label: "date"),
                              y: AxisOptions(label: s.plan.column, unit: s.plan.unit.isEmpty ? nil : s.plan.unit), legend: .bottom)
        let marker: MarkerShape? = length <= 7 ? .circle : nil
        chart.add(LineSeries("actual", dates: dates, y: actual, color: palette[0], lineWidth: 2, marker: marker))
        chart.add(LineSeries("\(best.name) (seed ensemble)", dates: dates, y: model, color: palette[1], marker: marker))
        chart.add(LineSeries("\(baseline.name) (best baseline)", dates: dates, y: base, color: palette[2], dash: .dashed, marker: marker))
        return chart.svg()
    }

    /// RMSE of the best model and the best baseline by hour of day (hourly) or month (daily).
    static func errorProfile(_ s: StudySummary) -> String? {
        guard let best = s.best, let baseline = s.reference.bestBaseline else { return nil }
        let hourly = s.plan.frequency == .hourly
        let keys = hourly ? Array(0..<24) : Array(1...12)
        func profile(_ predicted: [Double]) -> [Double?] {
            var sums = [Int: Double](), counts = [Int: Int]()
            for i in s.reference.actual.indices where i < predicted.count {
                guard let t = StudyReference.time(s.reference.times[i]), s.reference.actual[i].isFinite, predicted[i].isFinite else { continue }
                let k = hourly ? t.hour : t.month
                let e = s.reference.actual[i] - predicted[i]
                sums[k, default: 0] += e * e; counts[k, default: 0] += 1
            }
            return keys.map { k in counts[k].map { (sums[k]! / Double($0)).squareRoot() } }
        }
        var chart = LineChart(title: "Test RMSE by \(hourly ? "hour of day" : "month")", width: 900, height: 340,
                              x: AxisOptions(label: hourly ? "hour" : "month"),
                              y: AxisOptions(label: "RMSE", unit: s.plan.unit.isEmpty ? nil : s.plan.unit, includeZero: true), legend: .bottom)
        let x = keys.map(Double.init)
        chart.add(LineSeries("\(best.name) (seed ensemble)", x: x, y: profile(best.ensemble), color: palette[1], marker: .circle))
        chart.add(LineSeries("\(baseline.name) (best baseline)", x: x, y: profile(baseline.predictions), color: palette[2], dash: .dashed, marker: .square))
        return chart.svg()
    }
}
