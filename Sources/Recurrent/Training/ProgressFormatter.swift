/// Pure text rendering for training progress (no I/O, so it is testable).
public enum ProgressFormatter {
    /// One redraw of the in-epoch bar, e.g.
    /// `Epoch 3/10  12/40 [=======>......................] ETA 0:07 - loss: 0.01234`.
    /// - Parameters:
    ///   - epoch: 1-based epoch number; `batch`: batches done so far (0…batches).
    ///   - elapsed: seconds since the epoch started; the ETA extrapolates from it.
    ///   - width: characters between the brackets.
    public static func bar(epoch: Int, epochs: Int, batch: Int, batches: Int, elapsed: Double, loss: Double?, width: Int = 30) -> String {
        let done = min(max(batch, 0), batches)
        let filled = batches > 0 ? width * done / batches : width
        var inner = String(repeating: "=", count: filled)
        if filled < width {
            inner += done > 0 ? ">" : "."
            inner += String(repeating: ".", count: width - filled - 1)
        }
        let counter = String(repeating: " ", count: max(0, String(batches).count - String(done).count)) + "\(done)/\(batches)"
        var s = "Epoch \(epoch)/\(epochs)  \(counter) [\(inner)]"
        if done < batches {
            let eta = done > 0 ? elapsed / Double(done) * Double(batches - done) : nil
            s += " ETA " + (eta.map(clock) ?? "?")
        } else {
            s += " " + seconds(elapsed)
        }
        if let loss { s += " - loss: " + number(loss) }
        return s
    }

    /// The line written at the end of an epoch, e.g.
    /// `Epoch 3/10 - 4.2s - loss: 0.01234 - val_loss: 0.01502 - lr: 0.001`.
    /// Metrics appear in the order given; `remaining` (seconds for the epochs still to run)
    /// adds ` - ETA m:ss` for the whole run.
    public static func epochLine(epoch: Int, epochs: Int, seconds elapsed: Double, metrics: [(String, Double)],
                                 remaining: Double? = nil) -> String {
        var s = "Epoch \(epoch)/\(epochs) - " + seconds(elapsed)
        for (k, v) in metrics { s += " - \(k): " + number(v) }
        if let remaining, epoch < epochs { s += " - ETA " + clock(remaining) }
        return s
    }

    /// `m:ss`, or `h:mm:ss` from an hour, for an ETA.
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let t = Int(seconds.rounded())
        let h = t / 3600, m = (t % 3600) / 60, s = t % 60
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):" + (m < 10 ? "0\(m)" : "\(m)") + ":" + ss }
        return "\(m):" + ss
    }

    /// `0.42s` under 10 s, `12s` under a minute, else `clock`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        if value < 10 { return fixed(value, decimals: value < 1 ? 2 : 1) + "s" }
        if value < 60 { return "\(Int(value.rounded()))s" }
        return clock(value)
    }

    /// Four significant digits: `0.01234`, `12.35`, `1.235e-05`, `nan`, `inf`.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e-3 && a < 1e5 {
            var exponent = 0
            var x = a
            while x >= 10 { x /= 10; exponent += 1 }
            while x < 1 { x *= 10; exponent -= 1 }
            return fixed(v, decimals: max(0, 3 - exponent))
        }
        var exponent = 0
        var m = a
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        var mantissa = fixed(m, decimals: 3)
        if mantissa.hasPrefix("10.") { mantissa = fixed(m / 10, decimals: 3); exponent += 1 }
        let e = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + e
    }

    /// `value` rounded to `decimals` places, without Foundation.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let n = (abs(value) * scale).rounded()
        guard n < 9e15 else { return String(value) }
        let digits = String(Int64(n))
        let sign = value < 0 && n != 0 ? "-" : ""
        guard decimals > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        return sign + padded.dropLast(decimals) + "." + padded.suffix(decimals)
    }
}
