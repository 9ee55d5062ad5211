import Recurrent
import ArgumentParser
import Forecast
import LabDemos

// Options with a fixed set of values. The values are the library's setting types
// (`NamedChoice`: raw value = the name stored in model files); here they only learn to be
// parsed from the command line. `--help` lists the values (ArgumentParser prints
// `allValueStrings`), and a wrong value is refused while parsing with the list of valid ones.

/// A library setting parsed from the command line by its name or an alias.
protocol OptionChoice: NamedChoice, ExpressibleByArgument {}

extension OptionChoice {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { names }
    public var defaultValueDescription: String { rawValue }
}

extension OptimizerKind: OptionChoice {}
extension LossKind: OptionChoice {}
extension ScalerKind: OptionChoice {}
extension TransformKind: OptionChoice {}
extension IntervalMethod: OptionChoice {}
extension FeatureGapPolicy: OptionChoice {}
extension SeriesFormat: OptionChoice {}
extension ResampleKind: OptionChoice {}

/// `--frequency`: any name `SeriesCalendar(name:)` knows (a `Frequency` name or `steps`);
/// stored in its canonical spelling.
extension SeriesCalendar: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { names }
    public var defaultValueDescription: String { description }
}

extension StudyTarget: OptionChoice {}

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

extension CalendarInput {
    /// The calendar inputs of a comma-separated `--calendar` value (empty: none).
    static func parseOption(_ text: String?) throws -> [CalendarInput] {
        try (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { name in
            guard let input = CalendarInput(name: name) else {
                throw ValidationError("--calendar: unknown calendar input '\(name)' (\(CalendarInput.listed))")
            }
            return input
        }
    }
}
