import Foundation
import XCTest

/// Usage errors name the word that went wrong, suggest the nearest, and point to --help,
/// in one line on stderr with exit status 1.
final class UsageErrorTests: XCTestCase {
    private func assertOneLine(_ args: [String], mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLIRunner.run(args)
        XCTAssertEqual(r.status, 1, r.stderr, file: file, line: line)
        XCTAssertEqual(r.errorLines.count, 1, "one line: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stdout.isEmpty, r.stdout, file: file, line: line)
        for text in mentions {
            XCTAssertTrue(r.stderr.contains(text), "stderr should mention \(text): \(r.stderr)", file: file, line: line)
        }
    }

    func testATypoInARequiredFlagIsNamedWithTheNearestFlag() throws {
        try assertOneLine(["train", "--data", "x.csv", "--lookbak", "14", "--model", "lstm:4,dense:1", "--out", "o"],
                          mentions: ["'--lookbak'", "did you mean '--lookback'?", "rnn train --help"])
        try assertOneLine(["backtest", "--data=x.csv", "--lookback", "3", "--model", "lstm:2,dense:1", "--out", "o", "--fold=3"],
                          mentions: ["'--fold'", "'--folds'"])
    }

    func testAMistypedCommandSuggestsTheCommand() throws {
        try assertOneLine(["trian", "--data", "P"], mentions: ["'trian'", "did you mean 'train'?", "rnn --help"])
    }

    func testAnUnknownDemoListsTheDemos() throws {
        try assertOneLine(["demo", "sin"], mentions: ["'sin'", "did you mean 'sine'?", "sine, usd, pm10", "adding", "rnn demo --help"])
    }

    func testACommandWithoutItsOptionsPointsToHelp() throws {
        try assertOneLine(["train"], mentions: ["--out", "rnn train --help"])
    }

    func testAWrongChoiceListsTheValidOnes() throws {
        try assertOneLine(["train", "--data", "x.csv", "--lookback", "3", "--model", "lstm:2,dense:1", "--out", "o", "--optimizer", "adm"],
                          mentions: ["'adm'", "adam", "rmsprop"])
        try assertOneLine(["gradients", "--cells", "rnn,lstn"], mentions: ["unknown cell 'lstn'", "gru"])
        try assertOneLine(["study", "--data", "x.csv", "--target", "weekly"], mentions: ["'weekly'", "hourly", "daily"])
        try assertOneLine(["train", "--data", "x.csv", "--lookback", "3", "--model", "lstm:2,dense:1", "--out", "o",
                           "--resample", "daily", "--frequency", "hourly"], mentions: ["--frequency hourly contradicts"])
    }

    func testHelpListsTheChoices() throws {
        let train = try CLIRunner.run(["train", "--help"])
        XCTAssertEqual(train.status, 0)
        let help = train.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for list in ["values: adam, adamw, sgd, rmsprop", "values: mse, mae, huber", "values: minmax, standard",
                     "values: none, difference, log-return, auto", "values: csv, nbp, gios, long", "values: 15min, 30min, hourly, daily, business-day, business-day-pl, weekly, monthly", "values: daily"] {
            XCTAssertTrue(help.contains(list), "train --help should list \(list)")
        }
    }
}

/// Help text wraps as a whole: no hand-broken line leaves an orphan fragment.
final class HelpWrappingTests: XCTestCase {
    func testLongHelpTextsWrapCleanly() throws {
        for command in [["bench"], ["study", "run"], ["gradients"], ["demo", "adding"], ["backtest"]] {
            let r = try CLIRunner.run(command + ["--help"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
            for (a, b) in zip(discussion, discussion.dropFirst()) {
                let orphan = !a.isEmpty && !a.hasPrefix(" ") && a.count < 40 && !a.hasSuffix(":") && !a.hasSuffix(".")
                    && b.trimmingCharacters(in: .whitespaces).first.map { $0.isLowercase } == true
                XCTAssertFalse(orphan, "rnn \(command.joined(separator: " ")) --help breaks a sentence: '\(a)' / '\(b)'")
                XCTAssertLessThanOrEqual(a.count, 80, "rnn \(command.joined(separator: " ")) --help: '\(a)'")
            }
        }
    }
}
