/// The largest sizes a layer description may ask for, checked before anything is allocated
/// (a spec on the command line, a grid, a model file's architecture). Far above what the
/// engine is used for on a CPU; they exist so that a typo or a hostile file gets a message
/// instead of a multi-gigabyte allocation, an overflow trap or hours of initialisation.
public enum LayerLimits {
    /// Units of a Dense or recurrent layer, filters of a Conv1D.
    public static let maxUnits = 65_536
    /// Kernel size and dilation of a Conv1D.
    public static let maxKernelSpan = 4_096
    /// Truncated-BPTT chunk length.
    public static let maxBPTTSteps = 1 << 24
    /// Length of a sequence (time steps) a model is built for.
    public static let maxSequenceLength = 1 << 24
    /// Features per step a model is built for.
    public static let maxFeatures = 1 << 20
    /// Parameters of one model (4 GiB of Float32 at the limit).
    public static let maxParameters = 1 << 30
}

extension LayerConfig {
    /// Refuses sizes above `LayerLimits` and options that cannot be honoured; called before a
    /// layer is made from this description.
    public func checkLimits() throws {
        func check(_ value: Int?, _ key: String, _ limit: Int) throws {
            guard let v = value else { return }
            guard v > 0 else { throw ModelError.invalidConfiguration("\(type) '\(key)' must be positive, found \(v)") }
            guard v <= limit else {
                throw ModelError.invalidConfiguration("\(type) '\(key)' = \(v) is above the limit of \(limit) (LayerLimits)")
            }
        }
        try check(units, "units", LayerLimits.maxUnits)
        try check(filters, "filters", LayerLimits.maxUnits)
        try check(kernelSize, "kernel_size", LayerLimits.maxKernelSpan)
        try check(dilation, "dilation", LayerLimits.maxKernelSpan)
        try check(bpttSteps, "bptt_steps", LayerLimits.maxBPTTSteps)
        if let inner = layer?.value {
            if inner.stateful == true {
                throw ModelError.invalidConfiguration("Bidirectional(\(inner.type)) cannot be stateful: the backward pass starts at each sequence's end")
            }
            try inner.checkLimits()
        }
    }

    /// The number of parameters this layer has for `features` inputs per step (and `time`
    /// steps, which an `ARHighway`'s AR map needs), and the features per step it outputs, in
    /// PyTorch's layout, with overflow-checked arithmetic (nil for a type this function does
    /// not know, or an AR map without `time`).
    func parameterBudget(features: Int, time: Int? = nil) throws -> (parameters: Int, outputFeatures: Int)? {
        func product(_ factors: Int...) throws -> Int {
            try factors.reduce(1) { a, b in
                let (p, overflow) = a.multipliedReportingOverflow(by: b)
                guard !overflow, p <= LayerLimits.maxParameters else {
                    throw ModelError.invalidConfiguration("\(type) would have more than \(LayerLimits.maxParameters) parameters")
                }
                return p
            }
        }
        func sum(_ terms: Int...) throws -> Int {
            let total = terms.reduce(0, +)   // each term is at most maxParameters: no overflow
            guard total <= LayerLimits.maxParameters else {
                throw ModelError.invalidConfiguration("\(type) would have more than \(LayerLimits.maxParameters) parameters")
            }
            return total
        }
        // The wrappers: their inner layers stacked (ARHighway) or side by side (Ensemble).
        func stack(_ configs: [LayerConfig]) throws -> (parameters: Int, outputFeatures: Int)? {
            var total = 0, width = features
            for config in configs {
                try config.checkLimits()
                guard let b = try config.parameterBudget(features: width, time: time) else { return nil }
                total = try sum(total, b.parameters)
                width = b.outputFeatures
            }
            return (total, width)
        }
        func recurrent(_ c: LayerConfig, gates: Int) throws -> Int {
            let h = c.units ?? 0
            return try product(gates, h, features) + product(gates, h, h) + product(2, gates, h)
        }
        let gates = ["SimpleRNN": 1, "LSTM": 4, "GRU": 3]
        switch type {
        case "Dense": return (try product(units ?? 0, features) + (units ?? 0), units ?? 0)
        case "Dropout": return (0, features)
        case "Conv1D":
            let f = filters ?? 0
            return (try product(f, features, kernelSize ?? 0) + f, f)
        case "ARHighway":
            guard let body = try stack(layers ?? []) else { return nil }
            guard autoregressive ?? true else { return body }
            guard let time else { return nil }
            let units = body.outputFeatures   // ar_weight [units, time], ar_bias [units]
            return (try sum(body.parameters, try product(units, time), units), units)
        case "Ensemble":
            var total = 0, width: Int?
            for member in layers ?? [] {
                guard let b = try stack([member]) else { return nil }
                total = try sum(total, b.parameters)
                width = width ?? b.outputFeatures
            }
            return (total, width ?? features)
        case "Bidirectional":
            guard let inner = layer?.value, let g = gates[inner.type] else { return nil }
            let h = inner.units ?? 0
            return (try product(2, try recurrent(inner, gates: g)), merge == "sum" ? h : 2 * h)
        default:
            guard let g = gates[type] else { return nil }
            return (try recurrent(self, gates: g), units ?? 0)
        }
    }
}

/// A layer of a description broke `LayerLimits`: which one, and why.
struct LayerBudgetError: Error {
    let index: Int
    let type: String
    let reason: Error
}

extension LayerLimits {
    /// The parameters `configs` need for `features` inputs per step, every layer checked
    /// against the limits first (errors come as `LayerBudgetError`); nil when a layer type
    /// registered outside the engine is met, whose size this cannot tell.
    static func parameterCount(of configs: [LayerConfig], features: Int, time: Int? = nil) throws -> Int? {
        var features = features, total = 0
        for (i, config) in configs.enumerated() {
            do {
                try config.checkLimits()
                guard let budget = try config.parameterBudget(features: features, time: time) else { return nil }
                total += budget.parameters
                features = budget.outputFeatures
                guard total <= maxParameters else {
                    throw ModelError.invalidConfiguration("the model would have more than \(maxParameters) parameters (LayerLimits.maxParameters)")
                }
            } catch {
                throw LayerBudgetError(index: i, type: config.type, reason: error)
            }
        }
        return total
    }
}
