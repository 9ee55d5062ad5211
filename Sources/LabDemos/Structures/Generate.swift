import Forecast
import Foundation
import Recurrent

/// One-to-many (Tx = 1, Ty > 1): from one condition the model writes a whole sequence by
/// feeding its own outputs back (autoregressive decoding).
///
/// Two variants trained with teacher forcing (the true previous value as input):
/// - *waves*: condition (frequency f, phase φ) → v_t = sin(2π f t + φ), a GRU regressing the next value;
/// - *symbols*: a class → a string over {A, B, C, D} drawn from that class's Markov chain,
///   a GRU with a softmax head, decoded by sampling with a temperature.
public enum GenerateDemo {
    public struct Options: Sendable {
        public var run: StructureRun
        /// Steps per generated sequence.
        public var length: Int = 40
        /// Training sequences of each variant (a quarter as many are held out).
        public var sequences: Int = 400
        public var units: Int = 32
        public var learningRate: Float = 0.005
        /// Temperatures at which symbol strings are sampled and scored.
        public var temperatures: [Double] = [0.5, 1.0, 1.5]

        public init(run: StructureRun) { self.run = run }

        /// Checks every setting, naming the bad option.
        public func validate() throws {
            try run.validate()
            try requireAtLeast(length, 2, "length")
            try requireAtLeast(sequences, 8, "sequences")
            try requireAtLeast(units, 1, "units")
            guard !temperatures.isEmpty, temperatures.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw ParameterError("temperatures", mustBe: "positive numbers", got: temperatures)
            }
        }
    }

    // MARK: Waves

    /// Frequencies are drawn from this range (cycles per step).
    static let frequencyRange = 0.02...0.10

    /// A wave condition and its sequence.
    public struct Wave: Sendable {
        public var frequency: Double
        public var phase: Double
        public func values(_ length: Int) -> [Double] { (0..<length).map { sin(2 * .pi * frequency * Double($0) + phase) } }
        /// The condition as model inputs: scaled frequency, sin φ, cos φ.
        var features: [Float] {
            let mid = (frequencyRange.lowerBound + frequencyRange.upperBound) / 2
            let half = (frequencyRange.upperBound - frequencyRange.lowerBound) / 2
            return [Float((frequency - mid) / half), Float(sin(phase)), Float(cos(phase))]
        }
    }

    static func waves(_ n: Int, rng: inout SeededGenerator) -> [Wave] {
        (0..<n).map { _ in
            Wave(frequency: frequencyRange.lowerBound + Double(rng.nextUniform()) * (frequencyRange.upperBound - frequencyRange.lowerBound),
                 phase: 2 * .pi * Double(rng.nextUniform()))
        }
    }

    /// Teacher-forcing pairs: inputs `[N, T, 4]` = condition + previous value (0 before the first), targets `[N, T, 1]`.
    static func waveTensors(_ waves: [Wave], length t: Int) -> (x: Tensor, y: Tensor) {
        var x = Tensor(shape: [waves.count, t, 4]), y = Tensor(shape: [waves.count, t, 1])
        for (i, w) in waves.enumerated() {
            let v = w.values(t), c = w.features
            for s in 0..<t {
                for j in 0..<3 { x.scalars[(i * t + s) * 4 + j] = c[j] }
                x.scalars[(i * t + s) * 4 + 3] = s == 0 ? 0 : Float(v[s - 1])
                y.scalars[i * t + s] = Float(v[s])
            }
        }
        return (x, y)
    }

    /// Free-running generation: each output becomes the next step's previous value.
    static func generateWaves(_ model: Sequential, _ waves: [Wave], length t: Int) -> [[Double]] {
        var decoder = StepDecoder(model)
        let b = waves.count
        var previous = [Float](repeating: 0, count: b)
        var out = Array(repeating: [Double](), count: b)
        for _ in 0..<t {
            var x = Tensor(shape: [b, 1, 4])
            for i in 0..<b {
                let c = waves[i].features
                for j in 0..<3 { x.scalars[i * 4 + j] = c[j] }
                x.scalars[i * 4 + 3] = previous[i]
            }
            let y = decoder.step(x)
            for i in 0..<b { previous[i] = y.scalars[i]; out[i].append(Double(y.scalars[i])) }
        }
        return out
    }

    // MARK: Symbols

    public static let symbols = ["A", "B", "C", "D"]
    public static let symbolClasses = 3
    /// Probability of a class's preferred transition; the other three share the rest.
    public static let ruleProbability = 0.85

    /// Class c's preferred successor of symbol s: +1 (A→B→C→D→A), −1 (A→D→C→B→A) or +2 (A↔C, B↔D).
    public static func preferredNext(_ s: Int, class c: Int) -> Int { (s + [1, 3, 2][c]) % 4 }

    static func symbolStrings(_ n: Int, length t: Int, rng: inout SeededGenerator) -> (classes: [Int], strings: [[Int]]) {
        var classes: [Int] = [], strings: [[Int]] = []
        for i in 0..<n {
            let c = i % symbolClasses
            var s = [rng.nextInt(0...3)]
            while s.count < t {
                let last = s.last!
                if Double(rng.nextUniform()) < ruleProbability { s.append(preferredNext(last, class: c)) } else {
                    let others = (0..<4).filter { $0 != preferredNext(last, class: c) }
                    s.append(others[rng.nextInt(0...2)])
                }
            }
            classes.append(c); strings.append(s)
        }
        return (classes, strings)
    }

    /// Inputs at one step: class one-hot (3), previous symbol one-hot (4), start flag (1).
    static let symbolFeatures = 8

    static func symbolInput(class c: Int, previous: Int?, into x: inout Tensor, offset: Int) {
        x.scalars[offset + c] = 1
        if let p = previous { x.scalars[offset + 3 + p] = 1 } else { x.scalars[offset + 7] = 1 }
    }

    static func symbolTensors(_ classes: [Int], _ strings: [[Int]]) -> (x: Tensor, y: Tensor) {
        let n = strings.count, t = strings[0].count, f = symbolFeatures
        var x = Tensor(shape: [n, t, f]), y = Tensor(shape: [n, t, 4])
        for i in 0..<n {
            for s in 0..<t {
                symbolInput(class: classes[i], previous: s == 0 ? nil : strings[i][s - 1], into: &x, offset: (i * t + s) * f)
                y.scalars[(i * t + s) * 4 + strings[i][s]] = 1
            }
        }
        return (x, y)
    }

    /// Samples from probabilities `p` sharpened or flattened by `temperature`: p_i^(1/τ), renormalised.
    static func sample(_ p: ArraySlice<Float>, temperature: Double, rng: inout SeededGenerator) -> Int {
        let w = p.map { pow(max(Double($0), 1e-12), 1 / temperature) }
        var u = Double(rng.nextUniform()) * w.reduce(0, +)
        for (i, v) in w.enumerated() { u -= v; if u <= 0 { return i } }
        return w.count - 1
    }

    /// Generates one string per class in `classes` at `temperature`.
    static func generateSymbols(_ model: Sequential, classes: [Int], length t: Int, temperature: Double, rng: inout SeededGenerator) -> [[Int]] {
        var decoder = StepDecoder(model)
        let b = classes.count
        var previous: [Int?] = Array(repeating: nil, count: b)
        var out = Array(repeating: [Int](), count: b)
        for _ in 0..<t {
            var x = Tensor(shape: [b, 1, symbolFeatures])
            for i in 0..<b { symbolInput(class: classes[i], previous: previous[i], into: &x, offset: i * symbolFeatures) }
            let p = decoder.step(x)
            for i in 0..<b {
                let s = sample(p.scalars[(i * 4)..<(i * 4 + 4)], temperature: temperature, rng: &rng)
                previous[i] = s; out[i].append(s)
            }
        }
        return out
    }

    /// Fraction of transitions that follow the class's preferred rule.
    public static func ruleRate(_ strings: [[Int]], classes: [Int]) -> Double {
        var hits = 0, total = 0
        for (s, c) in zip(strings, classes) {
            for k in 1..<s.count { total += 1; if s[k] == preferredNext(s[k - 1], class: c) { hits += 1 } }
        }
        return Double(hits) / Double(max(1, total))
    }

    // MARK: Run

    public struct Result: Sendable {
        public var options: Options
        public var waveModel: Sequential, symbolModel: Sequential
        public var waveLosses: [Double], symbolLosses: [Double]
        public var testWaves: [Wave]
        /// Free-running generations of the test conditions `[sequence][step]`.
        public var generated: [[Double]]
        /// MSE of the free-running generations, of teacher-forced one-step predictions, and of predicting 0.
        public var generatedMSE: Double, teacherForcedMSE: Double, zeroMSE: Double
        /// Rule-following rate of sampled strings per temperature (same order as options.temperatures).
        public var ruleRates: [Double]
        /// Sampled strings per temperature, two per class.
        public var samples: [[(classIndex: Int, text: String)]]
        /// The rule rate of strings drawn from the true chains (the test strings).
        public var trueRuleRate: Double
        public var seconds: Double
    }

    public static func run(_ o: Options) throws -> Result {
        try o.validate()
        let start = Date()
        var rng = SeededGenerator(seed: o.run.seed)
        let t = o.length
        let testCount = max(4, o.sequences / 4)

        // Waves.
        let trainWaves = waves(o.sequences, rng: &rng), testWaves = waves(testCount, rng: &rng)
        let (wx, wy) = waveTensors(trainWaves, length: t)
        var waveModel = Sequential { GRU(o.units, returnSequences: true); Dense(1) }
        try waveModel.build(inputShape: [t, 4], seed: o.run.seed)
        var adam = Adam(learningRate: o.learningRate)
        o.run.log?("waves: GRU(\(o.units)) → Dense(1), teacher forcing on \(o.sequences) sequences of \(t) steps")
        let waveHistory = try waveModel.fit(wx, wy, loss: .meanSquaredError, optimizer: &adam,
                                            options: FitOptions(epochs: o.run.epochs, batchSize: 32, seed: o.run.seed,
                                                                clipping: .globalNorm(1), progress: o.run.progress))
        let (tx, ty) = waveTensors(testWaves, length: t)
        let teacherForced = try Loss.meanSquaredError.value(waveModel.infer(tx), ty)
        let generated = generateWaves(waveModel, testWaves, length: t)
        let truth = testWaves.map { $0.values(t) }
        let generatedMSE = StructureMath.mean(zip(generated, truth).flatMap { zip($0, $1).map { ($0 - $1) * ($0 - $1) } })
        let zeroMSE = StructureMath.mean(truth.flatMap { $0.map { $0 * $0 } })

        // Symbols.
        let train = symbolStrings(o.sequences, length: t, rng: &rng)
        let test = symbolStrings(testCount, length: t, rng: &rng)
        let (sx, sy) = symbolTensors(train.classes, train.strings)
        var symbolModel = Sequential { GRU(o.units, returnSequences: true); Dense(4, activation: .softmax) }
        try symbolModel.build(inputShape: [t, symbolFeatures], seed: o.run.seed &+ 1)
        var adam2 = Adam(learningRate: o.learningRate)
        o.run.log?("symbols: GRU(\(o.units)) → Dense(4, softmax), teacher forcing on \(o.sequences) strings of \(t) symbols")
        let symbolHistory = try symbolModel.fit(sx, sy, loss: .categoricalCrossEntropy(), optimizer: &adam2,
                                                options: FitOptions(epochs: o.run.epochs, batchSize: 32, seed: o.run.seed,
                                                                    clipping: .globalNorm(1), progress: o.run.progress))
        var sampleRNG = SeededGenerator(seed: o.run.seed &+ 99)
        var rates: [Double] = [], samples: [[(Int, String)]] = []
        let perTemperature = (0..<(testCount / symbolClasses * symbolClasses)).map { $0 % symbolClasses }
        for temperature in o.temperatures {
            let strings = generateSymbols(symbolModel, classes: perTemperature, length: t, temperature: temperature, rng: &sampleRNG)
            rates.append(ruleRate(strings, classes: perTemperature))
            samples.append((0..<(2 * symbolClasses)).map { (perTemperature[$0], strings[$0].map { symbols[$0] }.joined()) })
        }
        return Result(options: o, waveModel: waveModel, symbolModel: symbolModel, waveLosses: waveHistory["loss"],
                      symbolLosses: symbolHistory["loss"], testWaves: testWaves, generated: generated,
                      generatedMSE: generatedMSE, teacherForcedMSE: teacherForced, zeroMSE: zeroMSE,
                      ruleRates: rates, samples: samples, trueRuleRate: ruleRate(test.strings, classes: test.classes),
                      seconds: Date().timeIntervalSince(start))
    }

    public static func summary(_ r: Result) -> [String: Any] {
        var rates: [String: Any] = [:]
        for (t, v) in zip(r.options.temperatures, r.ruleRates) { rates[String(format: "%g", t)] = v }
        return ["demo": "generate", "structure": "one-to-many",
                "wave_generated_mse": r.generatedMSE, "wave_teacher_forced_mse": r.teacherForcedMSE,
                "wave_zero_mse": r.zeroMSE, "symbol_rule_rate": rates, "symbol_true_rule_rate": r.trueRuleRate,
                "symbol_random_rule_rate": 0.25, "length": r.options.length, "sequences": r.options.sequences,
                "epochs": r.options.run.epochs, "seed": r.options.run.seed, "train_seconds": r.seconds]
    }
}

/// Runs a `[recurrent layer (returnSequences), Dense]` model one step at a time, carrying the state.
struct StepDecoder {
    let recurrent: any RecurrentLayer
    let head: any Layer
    var state: [Tensor]?

    init(_ model: Sequential) {
        recurrent = model.layers[0] as! any RecurrentLayer
        head = model.layers[1]
    }

    /// One step: `x [B, 1, F]` → output `[B, O]`.
    mutating func step(_ x: Tensor) -> Tensor {
        let r = recurrent.call(x, initialState: state)
        state = r.finalStates
        let y = head.infer(r.output)
        return y.reshaped([x.shape[0], y.count / x.shape[0]])
    }
}
