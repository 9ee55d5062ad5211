/// The short architecture strings of the command line, e.g.
/// `lstm:50:seq,dropout:0.2,lstm:50,dense:1`.
///
/// Grammar (tokens separated by `,`, fields by `:`):
/// - `lstm:H`, `gru:H`, `rnn:H` (SimpleRNN; add `:relu` for relu) with optional flags `seq`
///   (return sequences), `stateful`, `bptt=K` (truncated BPTT);
/// - `bilstm:H`, `bigru:H`, `birnn:H`: bidirectional, same flags plus `sum` (merge by sum);
/// - `dropout:R` with 0 ≤ R < 1;
/// - `dense:N` with an optional activation `linear|tanh|sigmoid|relu|softmax`;
/// - `conv1d:FILTERS:KERNEL` with optional `d=DILATION` and an activation (causal);
/// - leading `ar` (AR highway; `ar:frozen` keeps it at its least-squares start) and/or `revin`
///   (per-window normalisation) wrap the rest in an `ARHighway`, e.g. `ar,revin,lstm:32,dense:1`.
public enum ModelSpec {
    /// A malformed spec, pointing at the bad token.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let spec: String
        public let tokenIndex: Int
        public let token: String
        public let reason: String
        public var description: String {
            "model spec '\(spec)': token \(tokenIndex + 1) '\(token)': \(reason)"
        }
    }

    /// Parses a spec into layer descriptions. Leading `ar` and/or `revin` tokens wrap the
    /// remaining layers in one `ARHighway` (AR highway, per-window normalisation).
    public static func parse(_ spec: String) throws -> [LayerConfig] {
        let tokens = spec.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard !spec.trimmingWhitespace().isEmpty else {
            throw ParseError(spec: spec, tokenIndex: 0, token: "", reason: "empty spec; example: lstm:50:seq,dropout:0.2,lstm:50,dense:1")
        }
        var wrapper: LayerConfig?
        var start = 0
        while start < tokens.count, ["ar", "ar:frozen", "revin"].contains(tokens[start].lowercased()) {
            var w = wrapper ?? LayerConfig(type: "ARHighway")
            switch tokens[start].lowercased() {
            case "revin": w.instanceNorm = true
            case "ar": w.autoregressive = true
            default: w.autoregressive = true; w.frozen = true
            }
            wrapper = w
            start += 1
        }
        guard start < tokens.count else {
            throw ParseError(spec: spec, tokenIndex: start - 1, token: tokens[start - 1], reason: "ar/revin wrap the layers after them; example: ar,revin,lstm:32,dense:1")
        }
        let layers = try tokens.enumerated().dropFirst(start).map { index, token in
            do { return try parseToken(token) } catch let reason as Reason {
                throw ParseError(spec: spec, tokenIndex: index, token: token, reason: reason.text)
            }
        }
        guard var w = wrapper else { return layers }
        w.autoregressive = w.autoregressive ?? false
        w.instanceNorm = w.instanceNorm ?? false
        w.layers = layers
        return [w]
    }

    /// Parses a spec into a `Sequential` model (not yet built).
    public static func model(_ spec: String) throws -> Sequential {
        try Sequential(configs: parse(spec))
    }

    /// The spec string that describes `configs` (the inverse of `parse` for what it covers).
    public static func describe(_ configs: [LayerConfig]) -> String {
        configs.map(describe).joined(separator: ",")
    }

    private struct Reason: Error { let text: String }

    private static let recurrentNames = ["lstm": "LSTM", "gru": "GRU", "rnn": "SimpleRNN", "simplernn": "SimpleRNN"]

    private static func parseToken(_ token: String) throws -> LayerConfig {
        let fields = token.split(separator: ":", omittingEmptySubsequences: false).map { String($0).lowercased() }
        guard let head = fields.first, !head.isEmpty else { throw Reason(text: "empty layer") }
        func positive(_ i: Int, _ what: String, limit: Int = LayerLimits.maxUnits) throws -> Int {
            guard fields.count > i else { throw Reason(text: "missing \(what) (e.g. \(head):32)") }
            guard let v = Int(fields[i]), v > 0 else {
                if fields[i].allSatisfy(\.isNumber), !fields[i].isEmpty { throw Reason(text: "\(what) '\(fields[i])' is above the limit of \(limit)") }
                throw Reason(text: "'\(fields[i])' is not a positive \(what)")
            }
            guard v <= limit else { throw Reason(text: "\(what) \(v) is above the limit of \(limit)") }
            return v
        }
        if let type = recurrentNames[head] {
            var c = LayerConfig(type: type)
            c.units = try positive(1, "unit count")
            try applyRecurrentFlags(fields.dropFirst(2), to: &c, allowSum: false)
            return c
        }
        if head.hasPrefix("bi"), let type = recurrentNames[String(head.dropFirst(2))] {
            var inner = LayerConfig(type: type)
            inner.units = try positive(1, "unit count")
            var outer = LayerConfig(type: "Bidirectional")
            outer.merge = try applyRecurrentFlags(fields.dropFirst(2), to: &inner, allowSum: true) ? "sum" : "concat"
            if inner.stateful == true {
                throw Reason(text: "a bidirectional layer cannot be stateful (its backward pass starts at each sequence's end)")
            }
            outer.layer = LayerConfig.Box(inner)
            return outer
        }
        switch head {
        case "dropout":
            guard fields.count == 2 else { throw Reason(text: "expected dropout:RATE, e.g. dropout:0.2") }
            guard let r = Float(fields[1]), r >= 0, r < 1 else { throw Reason(text: "'\(fields[1])' is not a rate in [0, 1)") }
            var c = LayerConfig(type: "Dropout")
            c.rate = r
            return c
        case "dense":
            var c = LayerConfig(type: "Dense")
            c.units = try positive(1, "unit count")
            guard fields.count <= 3 else { throw Reason(text: "expected dense:UNITS[:ACTIVATION]") }
            if fields.count == 3 { c.activation = try activation(fields[2]) }
            return c
        case "conv1d":
            var c = LayerConfig(type: "Conv1D")
            c.filters = try positive(1, "filter count")
            c.kernelSize = try positive(2, "kernel size", limit: LayerLimits.maxKernelSpan)
            for f in fields.dropFirst(3) {
                if f.hasPrefix("d=") {
                    guard let d = Int(f.dropFirst(2)), d > 0, d <= LayerLimits.maxKernelSpan else {
                        throw Reason(text: "'\(f)' is not a dilation between 1 and \(LayerLimits.maxKernelSpan)")
                    }
                    c.dilation = d
                } else {
                    c.activation = try activation(f)
                }
            }
            return c
        default:
            throw Reason(text: "unknown layer '\(head)' (known: lstm, gru, rnn, bilstm, bigru, birnn, dropout, dense, conv1d)")
        }
    }

    /// Applies `seq`, `stateful`, `bptt=K`, `relu`/`tanh` (rnn) and `sum` (bidirectional).
    /// - Returns: whether `sum` was given.
    @discardableResult
    private static func applyRecurrentFlags(_ flags: ArraySlice<String>, to c: inout LayerConfig, allowSum: Bool) throws -> Bool {
        var sum = false
        for f in flags {
            switch f {
            case "seq": c.returnSequences = true
            case "stateful": c.stateful = true
            case "sum" where allowSum: sum = true
            case "relu" where c.type == "SimpleRNN": c.activation = .relu
            case "tanh" where c.type == "SimpleRNN": c.activation = .tanh
            default:
                if f.hasPrefix("bptt=") {
                    guard let k = Int(f.dropFirst(5)), k > 0, k <= LayerLimits.maxBPTTSteps else {
                        throw Reason(text: "'\(f)' is not a bptt step count between 1 and \(LayerLimits.maxBPTTSteps)")
                    }
                    c.bpttSteps = k
                } else {
                    throw Reason(text: "unknown option '\(f)' (options: seq, stateful, bptt=K\(c.type == "SimpleRNN" ? ", relu, tanh" : "")\(allowSum ? ", sum" : ""))")
                }
            }
        }
        return sum
    }

    private static func activation(_ name: String) throws -> Activation {
        guard let a = Activation(rawValue: name) else {
            throw Reason(text: "unknown activation '\(name)' (known: \(Activation.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return a
    }

    private static func describe(_ c: LayerConfig) -> String {
        let short = ["LSTM": "lstm", "GRU": "gru", "SimpleRNN": "rnn"]
        func flags(_ c: LayerConfig) -> String {
            var s = ""
            if c.returnSequences == true { s += ":seq" }
            if c.stateful == true { s += ":stateful" }
            if c.type == "SimpleRNN", c.activation == .relu { s += ":relu" }
            if let k = c.bpttSteps { s += ":bptt=\(k)" }
            return s
        }
        switch c.type {
        case "ARHighway":
            let flags = (c.autoregressive == true ? [c.frozen == true ? "ar:frozen" : "ar"] : []) + (c.instanceNorm == true ? ["revin"] : [])
            return (flags + [describe(c.layers ?? [])]).joined(separator: ",")
        case "Ensemble":
            return "ensemble(\(c.layers?.count ?? 0))"
        case "Dense": return "dense:\(c.units ?? 0)" + ((c.activation ?? .linear) == .linear ? "" : ":\(c.activation!.rawValue)")
        case "Dropout": return "dropout:\(c.rate ?? 0)"
        case "Conv1D":
            return "conv1d:\(c.filters ?? 0):\(c.kernelSize ?? 0)" + (c.dilation.map { ":d=\($0)" } ?? "")
                + ((c.activation ?? .linear) == .linear ? "" : ":\(c.activation!.rawValue)")
        case "Bidirectional":
            guard let inner = c.layer?.value else { return "bidirectional" }
            return "bi" + (short[inner.type] ?? inner.type.lowercased()) + ":\(inner.units ?? 0)" + flags(inner) + (c.merge == "sum" ? ":sum" : "")
        default:
            return (short[c.type] ?? c.type.lowercased()) + ":\(c.units ?? 0)" + flags(c)
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
