import Recurrent
import ArgumentParser
import Forecast
import LabDemos

// Options with a fixed set of values. Each raw value is the string the option took before it
// became an enum and the string stored in model files, so old files keep loading. `--help`
// lists the values (ArgumentParser prints `allValueStrings`), and a wrong value is refused
// while parsing with the list of valid ones.

/// A choice whose values are listed in `--help` and whose aliases parse to a canonical case.
protocol OptionChoice: RawRepresentable, CaseIterable, ExpressibleByArgument where RawValue == String {
    /// Other spellings accepted on the command line (e.g. `diff` for `difference`).
    static var aliases: [String: Self] { get }
}

extension OptionChoice {
    static var aliases: [String: Self] { [:] }

    init?(argument: String) {
        guard let value = Self(rawValue: argument.lowercased()) ?? Self.aliases[argument.lowercased()] else { return nil }
        self = value
    }

    static var allValueStrings: [String] { allCases.map(\.rawValue) }

    /// `a, b or c`, for help and error messages.
    static var listed: String {
        let all = allValueStrings
        return all.count < 2 ? all.joined() : all.dropLast().joined(separator: ", ") + " or " + all.last!
    }
}

/// `--optimizer`.
enum OptimizerChoice: String, OptionChoice {
    case adam, adamw, sgd, rmsprop
}

/// `--loss`.
enum LossChoice: String, OptionChoice {
    case mse, mae, huber
    static var aliases: [String: LossChoice] {
        ["mean_squared_error": .mse, "meansquarederror": .mse, "mean_absolute_error": .mae, "meanabsoluteerror": .mae]
    }
}

/// `--scaler`.
enum ScalerChoice: String, OptionChoice {
    case minmax, standard
}

/// `--transform`: what the model predicts.
enum TransformChoice: String, OptionChoice {
    case none, difference, logReturn = "log-return", auto
    static var aliases: [String: TransformChoice] { ["diff": .difference, "logreturn": .logReturn] }
}

/// `--format` of the data files.
enum DataFormatChoice: String, OptionChoice {
    case csv, nbp, gios, long
}

/// `--frequency`: the series' calendar — any name the library's `Frequency(name:)` knows
/// (`15min`, `hourly`, …, `yearly-end`) in its canonical spelling, or `steps` (plain steps,
/// dates ignored). Checked while parsing, so a wrong name is refused with the list.
struct FrequencyChoice: ExpressibleByArgument, Equatable, Sendable {
    /// The canonical name (`Frequency.description`, or `steps`), as model files store it.
    let rawValue: String

    static let daily = FrequencyChoice(rawValue: "daily")
    static let steps = FrequencyChoice(rawValue: "steps")

    private init(rawValue: String) { self.rawValue = rawValue }

    init?(argument: String) {
        if argument.lowercased() == "steps" { self = .steps; return }
        guard let f = Frequency(name: argument) else { return nil }
        rawValue = f.description
    }

    static var allValueStrings: [String] {
        ["15min", "30min", "hourly", "daily", "business-day", "business-day-pl", "weekly", "monthly", "monthly-end",
         "quarterly", "quarterly-end", "yearly", "yearly-end", "steps"]
    }
}

/// `--resample`: how rows are aggregated before the grid is fixed.
enum ResampleChoice: String, OptionChoice {
    case daily
}

/// `rnn study --target`: model the hourly series or its daily means.
enum StudyTargetChoice: String, OptionChoice {
    case hourly, daily
}

/// `--cells`: a comma-separated list of `rnn`, `lstm`, `gru` (parsed with `CellList.parse`,
/// whose error names the unknown cell).
struct CellList: ExpressibleByArgument, Sendable {
    var cells: [RecurrentKind]

    init(_ cells: [RecurrentKind]) { self.cells = cells }

    init?(argument: String) {
        guard let list = try? CellList.parse(argument) else { return nil }
        self = list
    }

    static func parse(_ text: String) throws -> CellList { CellList(try RecurrentKind.parseList(text)) }

    var defaultValueDescription: String { cells.map(\.rawValue).joined(separator: ",") }
}
