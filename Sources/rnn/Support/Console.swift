import Foundation
import Forecast
import LabDemos

/// Where the CLI writes: results on stdout, everything else on stderr.
enum Console {
    static func log(_ text: String, quiet: Bool = false) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func json(_ object: some Encodable) { out(JSONOutput.string(object)) }
    static func json(_ object: [String: Any]) { out(JSONOutput.string(object)) }

    /// The command line as typed, for reports.
    static var commandLine: String {
        CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
            .replacingOccurrences(of: CommandLine.arguments[0], with: "rnn")
    }
}
