import Foundation
import XCTest

/// The README's library example compiles (it is `ReadmeLibraryExample`), runs, learns, and
/// is the code the README shows.
final class ReadmeLibraryExampleTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The lines between `// README BEGIN` and `// README END` of `text`, unindented by 8.
    static func markedLines(_ text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let begin = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// README BEGIN" }),
              let end = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// README END" }), begin < end else { return [] }
        return lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
    }

    /// The first ```swift block after the "## The library" heading that is not a
    /// `Package.swift` (the one the README tells a newcomer to paste into main.swift).
    static func readmeLibraryBlock(_ readme: String) -> [String] {
        let lines = readme.components(separatedBy: "\n")
        guard var from = lines.firstIndex(of: "## The library") else { return [] }
        while let open = lines[from...].firstIndex(of: "```swift"),
              let close = lines[(open + 1)...].firstIndex(of: "```") {
            let block = Array(lines[(open + 1)..<close])
            if !(block.first?.hasPrefix("// swift-tools-version") ?? false) { return block }
            from = close + 1
        }
        return []
    }

    func testTheReadmeShowsExactlyTheTestedCode() throws {
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: Self.packageRoot.appendingPathComponent("Tests/RecurrentTests/Readme/ReadmeLibraryExample.swift"),
                                encoding: .utf8)
        let tested = Self.markedLines(source)
        XCTAssertGreaterThan(tested.count, 20, "the markers in ReadmeLibraryExample.swift are missing")
        let shown = Self.readmeLibraryBlock(readme)
        XCTAssertEqual(Array(shown.prefix(3)), ["import Foundation   // URL", "import Recurrent", ""],
                       "the README's library example must start with its imports")
        XCTAssertEqual(Array(shown.dropFirst(3)), tested,
                       "README.md's library example and Tests/RecurrentTests/Readme/ReadmeLibraryExample.swift have drifted apart")
    }

    func testTheReadmeExampleLearnsTheWaveAndReloadsTheSameModel() throws {
        let outcome = try ReadmeLibraryExample.run()
        let validation = outcome.history["val_loss"].filter(\.isFinite)
        XCTAssertGreaterThanOrEqual(validation.count, 3)
        // Predicting the mean of a unit sine wave has MSE 0.5; the trained model must do far better.
        XCTAssertLessThan(validation.min()!, 0.05, "validation MSE per epoch: \(validation)")
        XCTAssertEqual(outcome.prediction.shape, [1, 1])
        XCTAssertEqual(outcome.prediction.scalars[0], outcome.next, accuracy: 0.25,
                       "the step after the wave is \(outcome.next)")
        XCTAssertEqual(outcome.reloadedPrediction.scalars, outcome.prediction.scalars, "the saved and reloaded model must predict the same")
    }
}
