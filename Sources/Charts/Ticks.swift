import Foundation

/// One labelled tick on an axis. `exponent`, when present, is drawn as a superscript after
/// `label` (log axes label decades as "10" with exponent "3").
public struct Tick: Equatable, Sendable {
    /// Position in data units (seconds since epoch on date axes).
    public var value: Double
    /// The label text.
    public var label: String
    /// Optional superscript following the label.
    public var exponent: String?

    public init(value: Double, label: String, exponent: String? = nil) {
        self.value = value; self.label = label; self.exponent = exponent
    }
}

/// The result of tick computation: the axis domain and its ticks.
public struct AxisTicks: Equatable, Sendable {
    /// The axis runs from `lower` to `upper` (data units); all data lie inside.
    public var lower: Double
    public var upper: Double
    /// Major ticks (labelled, with gridlines).
    public var ticks: [Tick]
    /// Unlabelled minor tick positions (log axes: 2…9 × 10^k).
    public var minor: [Double]

    public init(lower: Double, upper: Double, ticks: [Tick], minor: [Double] = []) {
        self.lower = lower; self.upper = upper; self.ticks = ticks; self.minor = minor
    }
}

/// "Nice" tick computation for linear and logarithmic axes.
public enum NiceTicks {
    /// The smallest step of the form {1, 2, 5} × 10^k for which the ticks covering
    /// `min...max` number at most `maxTicks` (at least 2).
    public static func step(min lo: Double, max hi: Double, maxTicks: Int) -> Double {
        let n = Swift.max(2, maxTicks)
        let range = Swift.max(hi - lo, Swift.max(abs(hi), abs(lo)) * 1e-12, 1e-300)
        var exponent = floor(Foundation.log10(range / Double(n)))
        while true {
            let mag = pow(10, exponent)
            for m in [1.0, 2.0, 5.0] {
                let s = m * mag
                let count = (ceil(hi / s - 1e-9) - floor(lo / s + 1e-9)) + 1
                if count <= Double(n) { return s }
            }
            exponent += 1
        }
    }

    /// Linear ticks: the domain is widened to multiples of a nice step (1-2-5 × 10^k) so that
    /// it covers `min...max`; every tick lies in the domain. A degenerate range is widened.
    public static func linear(min lo: Double, max hi: Double, maxTicks: Int = 6) -> AxisTicks {
        var a = lo, b = hi
        if !a.isFinite || !b.isFinite { a = 0; b = 1 }
        if a > b { swap(&a, &b) }
        if a == b {
            let pad = a == 0 ? 1 : abs(a) * 0.1
            a -= pad; b += pad
        }
        let s = step(min: a, max: b, maxTicks: maxTicks)
        let first = floor(a / s + 1e-9)
        let last = ceil(b / s - 1e-9)
        var ticks: [Tick] = []
        var i = first
        while i <= last + 0.5 {
            let v = clean(i * s, step: s)
            ticks.append(Tick(value: v, label: format(v, step: s)))
            i += 1
        }
        return AxisTicks(lower: clean(first * s, step: s), upper: clean(last * s, step: s), ticks: ticks)
    }

    /// Logarithmic (base-10) ticks at whole decades, labelled 10^k. Values ≤ 0 must be
    /// excluded by the caller. When there are more decades than `maxTicks`, every 2nd, 5th,
    /// ... decade is labelled. Minor ticks at 2…9 × 10^k are given when decades are few.
    public static func logarithmic(min lo: Double, max hi: Double, maxTicks: Int = 8) -> AxisTicks {
        var a = lo, b = hi
        if !(a > 0) || !a.isFinite { a = b > 0 && b.isFinite ? b / 10 : 1 }
        if !(b > 0) || !b.isFinite { b = a * 10 }
        if a > b { swap(&a, &b) }
        var kmin = Int(floor(Foundation.log10(a) + 1e-9))
        var kmax = Int(ceil(Foundation.log10(b) - 1e-9))
        if kmax <= kmin { kmax = kmin + 1 }
        let decades = kmax - kmin
        let n = Swift.max(2, maxTicks)
        var stride = 1
        for s in [1, 2, 3, 5, 10, 20, 50, 100] where decades / s + 1 <= n || s == 100 { stride = s; break }
        kmin = Int(floor(Double(kmin) / Double(stride))) * stride
        kmax = Int(ceil(Double(kmax) / Double(stride))) * stride
        var ticks: [Tick] = []
        var minor: [Double] = []
        var k = kmin
        while k <= kmax {
            let v = pow(10, Double(k))
            ticks.append(Tick(value: v, label: "10", exponent: k < 0 ? "\u{2212}\(-k)" : "\(k)"))
            k += stride
        }
        if stride == 1 && kmax - kmin <= 6 {
            for k in kmin..<kmax {
                for m in 2...9 { minor.append(Double(m) * pow(10, Double(k))) }
            }
        }
        return AxisTicks(lower: pow(10, Double(kmin)), upper: pow(10, Double(kmax)), ticks: ticks, minor: minor)
    }

    /// Removes floating-point noise such as 0.30000000000000004 by rounding to the step's precision.
    package static func clean(_ v: Double, step: Double) -> Double {
        let decimals = Swift.max(0, -Int(floor(Foundation.log10(step))) + 1)
        guard decimals < 15 else { return v }
        let p = pow(10, Double(decimals))
        let r = (v * p).rounded() / p
        return r == 0 ? 0 : r
    }

    /// Formats a tick value with just enough decimals for the step. Very large or very small
    /// magnitudes use exponent notation (e.g. "2.5e6").
    public static func format(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        let mag = abs(v)
        if mag >= 1e7 || step < 1e-5 {
            var s = String(format: "%.3g", v)
            s = s.replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
                .replacingOccurrences(of: "e-0", with: "e-")
            return s.replacingOccurrences(of: "-", with: "\u{2212}")
        }
        let decimals = Swift.max(0, -Int(floor(Foundation.log10(step) + 1e-9)))
        let s = String(format: "%.\(decimals)f", v)
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }
}
