import ArgumentParser

/// Turns a usage error into one line that names the word that went wrong, suggests the
/// nearest command or option, and points to `--help`.
///
/// ArgumentParser reports a missing required option before an unknown one, so a typo in a
/// required flag (`--lookbak 14`) would only say that `--lookback` is missing; the arguments
/// are therefore checked here against the command's own options first.
enum UsageHint {
    /// The one-line message for a parse or validation error of `arguments` (without the
    /// program name); `fallback` (the parser's message) when the arguments give no better clue.
    static func message(arguments: [String], fallback: String) -> String {
        let (command, path, rest) = resolve(arguments)
        let help = "see '\((["rnn"] + path).joined(separator: " ")) --help'"
        // No default subcommand takes a positional argument, so a bare word here names a command.
        if let word = rest.first, !word.hasPrefix("-"), !subcommands(of: command).isEmpty {
            return unknownCommand(word, of: command, path: path, help: help)
        }
        let known = optionNames(of: command)
        for word in rest.prefix(while: { $0 != "--" }) where word.hasPrefix("--") {
            let name = String(word.split(separator: "=", maxSplits: 1).first ?? "")
            guard !known.contains(name) else { continue }
            let suggestion = nearest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
            return "Unknown option '\(name)'\(suggestion) (\(help))"
        }
        return fallback.trimmingTrailingPeriod + " (\(help))"
    }

    /// The subcommand the arguments select, the names on the way, and the arguments after them.
    static func resolve(_ arguments: [String]) -> (ParsableCommand.Type, [String], [String]) {
        var command: ParsableCommand.Type = RNN.self
        var path: [String] = []
        var rest = arguments[...]
        while let word = rest.first, let sub = subcommands(of: command).first(where: { $0._commandName == word }) {
            command = sub
            path.append(word)
            rest = rest.dropFirst()
        }
        // Options after `rnn study` belong to its default subcommand (`study run`).
        if let sub = command.configuration.defaultSubcommand, rest.first.map({ $0.hasPrefix("-") }) ?? true {
            command = sub
            path.append(sub._commandName)
        }
        return (command, path, Array(rest))
    }

    private static func unknownCommand(_ word: String, of command: ParsableCommand.Type, path: [String], help: String) -> String {
        let names = subcommands(of: command).map { $0._commandName }
        let what = path.isEmpty ? "command" : "\(path.joined(separator: " ")) subcommand"
        let suggestion = nearest(to: word, in: names).map { "did you mean '\($0)'? " } ?? ""
        return "Unknown \(what) '\(word)'; \(suggestion)The choices are: \(names.joined(separator: ", ")) (\(help))"
    }

    static func subcommands(of command: ParsableCommand.Type) -> [ParsableCommand.Type] {
        command.configuration.subcommands
    }

    /// Every `--name` the command accepts, read from its help text (the parser keeps its own
    /// argument table private).
    static func optionNames(of command: ParsableCommand.Type) -> Set<String> {
        let text = RNN.helpMessage(for: command, columns: 1000)
        let options = text.range(of: "OPTIONS:").map { String(text[$0.upperBound...]) } ?? text
        var names: Set<String> = ["--help", "--version"]
        for line in options.split(separator: "\n") {
            let head = line.trimmingCharacters(in: .whitespaces).split(separator: " ").prefix(3).joined(separator: " ")
            for token in head.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }) where token.hasPrefix("--") {
                if token.hasPrefix("--[no-]") {
                    let base = token.dropFirst("--[no-]".count)
                    names.insert("--\(base)")
                    names.insert("--no-\(base)")
                } else {
                    names.insert(String(token))
                }
            }
        }
        return names
    }

    /// The closest candidate by edit distance, when it is close enough to be a typo.
    static func nearest(to word: String, in candidates: some Collection<String>) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        let core = word.drop { $0 == "-" }.count
        return best.1 <= max(2, core / 3) && best.1 < core ? best.0 : nil
    }

    /// Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours counts 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

private extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
