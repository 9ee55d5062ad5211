import XCTest
import Recurrent
@testable import Forecast

/// Typed settings read the strings model files have always stored, aliases included.
final class SettingsCompatibilityTests: XCTestCase {
    /// A forecast set-up as `ForecastModelFile.save` wrote it before the settings were typed
    /// (sorted keys, every setting a string, spelled as the CLI and grids allowed).
    static let legacyJSON = #"""
    {"scalings":[{"column":"USD","factor":2.5,"offset":-9.75}],"setup":{"batchSize":16,"calendar":["weekday","month"],"clipNorm":1,"direct":false,"earlyStoppingPatience":5,"epochs":3,"featureGaps":"carry","features":[],"frequency":"business-day-pl","horizon":1,"intervals":"conformal","l2":0,"learningRate":0.01,"lookback":4,"loss":"mean_squared_error","model":"lstm:3,dense:1","movingAverageWindow":7,"optimizer":"rmsprop","rowsAreSteps":true,"scaleOnAllData":false,"scaler":"standard","seed":7,"source":{"column":"USD","fillGaps":0,"format":"nbp","frequency":"steps","minimumHours":18,"resample":"daily"},"target":"USD","trainFraction":0.7,"transform":"diff","unit":"PLN","validationFraction":0.1,"validationSplit":0}}
    """#

    func testAModelFileWrittenWithStringSettingsLoadsAndIsRewrittenOnce() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var model = try ModelSpec.model("lstm:3,dense:1")
        try model.build(inputShape: [4, 1 + 2 * 2], seed: 1)   // the target and two calendar sin/cos pairs
        let old = dir.appendingPathComponent("old.safetensors")
        // The old writer stored the same JSON under two keys.
        try ModelFile.save(model, to: old, metadata: [ForecastModelFile.metadataKey: Self.legacyJSON, ModelFile.trainingKey: Self.legacyJSON])

        let (_, setup, scalings) = try ForecastModelFile.load(from: old)
        XCTAssertEqual(setup.optimizer, .rmsprop)
        XCTAssertEqual(setup.loss, .mse)                 // alias mean_squared_error
        XCTAssertEqual(setup.transform, .difference)     // alias diff
        XCTAssertEqual(setup.scaler, .standard)
        XCTAssertEqual(setup.intervals, .conformal)
        XCTAssertEqual(setup.featureGaps, .carry)
        XCTAssertEqual(setup.calendar, [.weekday, .month])
        XCTAssertEqual(setup.frequency, .polishBusinessDay)
        XCTAssertEqual(setup.seasonalPeriod, 5)
        XCTAssertEqual(setup.source?.format, .nbp)
        XCTAssertEqual(setup.source?.resample, .daily)
        XCTAssertEqual(setup.source?.frequency, .steps)
        XCTAssertEqual(scalings, [AffineScaling(column: "USD", offset: -9.75, factor: 2.5)])
        XCTAssertNoThrow(try setup.validate())

        let new = dir.appendingPathComponent("new.safetensors")
        try ForecastModelFile.save(model, setup: setup, scalings: scalings, to: new)
        let stored = try ModelFile.read(from: new).metadata
        XCTAssertEqual(Set(stored.keys), [ForecastModelFile.metadataKey], "the set-up is stored once")
        let json = try XCTUnwrap(stored[ForecastModelFile.metadataKey])
        // Canonical names are written; they are the strings the CLI always stored.
        for fragment in [#""transform":"difference""#, #""loss":"mse""#, #""frequency":"business-day-pl""#,
                         #""calendar":["weekday","month"]"#, #""format":"nbp""#, #""frequency":"steps""#] {
            XCTAssertTrue(json.contains(fragment), "\(fragment) in \(json)")
        }
        XCTAssertEqual(try ForecastModelFile.load(from: new).setup, setup)
    }

    func testStepsAsTheSetUpFrequencyMeansPlainSteps() throws {
        let json = Self.legacyJSON.replacingOccurrences(of: #""frequency":"business-day-pl""#, with: #""frequency":"steps""#)
        struct Stored: Decodable { var setup: ExperimentSetup }
        let setup = try JSONDecoder().decode(Stored.self, from: Data(json.utf8)).setup
        XCTAssertNil(setup.frequency)
        XCTAssertEqual(setup.seasonalPeriod, 1)
    }

    func testAnUnknownStoredSettingIsRefusedNamingTheValues() {
        for (old, new, expected) in [(#""optimizer":"rmsprop""#, #""optimizer":"lbfgs""#, "expected adam, adamw, sgd or rmsprop, got 'lbfgs'"),
                                     (#""frequency":"business-day-pl""#, #""frequency":"fortnightly""#, "got 'fortnightly'"),
                                     (#""calendar":["weekday","month"]"#, #""calendar":["season"]"#, "expected hour, weekday or month, got 'season'")] {
            let json = Self.legacyJSON.replacingOccurrences(of: old, with: new)
            XCTAssertNotEqual(json, Self.legacyJSON)
            struct Stored: Decodable { var setup: ExperimentSetup }
            XCTAssertThrowsError(try JSONDecoder().decode(Stored.self, from: Data(json.utf8))) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(e)")
            }
        }
    }

    func testNamesAndAliasesParseToOneValue() {
        XCTAssertEqual(TransformKind(name: "Log-Return"), .logReturn)
        XCTAssertEqual(TransformKind(name: "logreturn"), .logReturn)
        XCTAssertNil(TransformKind(name: "box-cox"))
        XCTAssertEqual(LossKind(name: "MAE"), .mae)
        XCTAssertNil(LossKind(name: "bce"), "forecasting trains regression losses only")
        XCTAssertEqual(SeriesCalendar(name: "STEPS"), .steps)
        XCTAssertEqual(SeriesCalendar(name: "nbp"), .frequency(.polishBusinessDay))
        XCTAssertEqual(SeriesCalendar(name: "quarterly-end")?.description, "quarterly-end")
        XCTAssertNil(SeriesCalendar(name: "7min"))
        XCTAssertEqual(OptimizerKind.listed, "adam, adamw, sgd or rmsprop")
    }
}

/// Setting problems speak library terms; a front end's names replace them.
final class SettingProblemTests: XCTestCase {
    static let all: [SettingProblem] = [
        .linearARXNeedsOneStepLevels, .globalModelTakesNoCovariates, .futureFeaturesNeedOneStep,
        .recursiveForecastNeedsFutureInputs(steps: 3, features: ["temp"]), .noFutureForecastOnLinearARX,
        .futureValuesMissing(features: ["z"]), .arrayCannotUndoTransform(.difference, target: "y"), .arrayNeedsCalendarInputs([.hour]),
        .negativeGapFill(-1), .badDate(.from, text: "soon"), .noDataFiles, .irregularTimeStamps(files: ["a.csv"], reason: "odd"),
        .irregularAfterCleaning(files: ["a.csv"], reason: "odd"), .stationNeeded, .tooFewTrainingWindows(fold: 2, windows: 1),
        .seedsOutOfRange(0, max: 1000), .seedsCannotShrink(folder: "s", stored: 5), .differentStudy(folder: "s", planFile: "study.json"),
        .shardOutOfRange(index: 3, count: 2), .dailyDataForHourlyTarget(file: "d.csv"),
    ]

    func testLibraryTextNamesNoFlagsAndOtherNamesReplaceTheSettings() {
        let shouting = SettingNames(name: { "<\($0.rawValue)>" }, assignment: { "<\($0.rawValue)=\($1)>" })
        for p in Self.all {
            XCTAssertFalse(p.description.contains("--"), p.description)
            XCTAssertFalse(p.description.contains("\n"), p.description)
            XCTAssertEqual(ExperimentError.setting(p).description, p.description)
        }
        XCTAssertEqual(SettingProblem.linearARXNeedsOneStepLevels.text(shouting),
                       "invalid setup: a network on the linear model forecasts one step of the levels: use <horizon=1> and <transform=none>")
        XCTAssertEqual(SettingProblem.seedsOutOfRange(0, max: 1000).text(shouting), "<seeds> must be between 1 and 1000, got 0")
        XCTAssertEqual(SettingProblem.badDate(.to, text: "soon").description, "end date expects a date such as 2021-01-01, got 'soon'")
    }
}
