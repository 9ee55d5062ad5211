/// A chronological split of a series' rows into training, validation and test parts.
public struct ChronologicalSplit: Equatable, Sendable {
    public var train: Range<Int>
    public var validation: Range<Int>
    public var test: Range<Int>

    public init(train: Range<Int>, validation: Range<Int>, test: Range<Int>) {
        self.train = train; self.validation = validation; self.test = test
    }

    /// The first `train` fraction of `rowCount` rows for training, the next `validation`
    /// fraction for validation, the rest for testing (counts rounded down).
    public static func fractions(rowCount: Int, train: Double, validation: Double = 0) throws -> ChronologicalSplit {
        guard train > 0, validation >= 0, train + validation <= 1 else {
            throw PreparationError.invalidSpec("fractions need 0 < train, 0 ≤ validation, train + validation ≤ 1")
        }
        let a = Int(Double(rowCount) * train), b = a + Int(Double(rowCount) * validation)
        return ChronologicalSplit(train: 0..<a, validation: a..<b, test: b..<rowCount)
    }

    /// Rows before `validationStart` train, rows from `validationStart` to before
    /// `testStart` validate, rows from `testStart` test.
    public static func dates(_ series: TimeSeries, validationStart: LocalDateTime, testStart: LocalDateTime) throws -> ChronologicalSplit {
        guard validationStart <= testStart else {
            throw PreparationError.invalidSpec("validation start \(validationStart) is after test start \(testStart)")
        }
        let v = series.timestamps.firstIndex { $0 >= validationStart } ?? series.count
        let t = series.timestamps.firstIndex { $0 >= testStart } ?? series.count
        return ChronologicalSplit(train: 0..<v, validation: v..<t, test: t..<series.count)
    }
}

extension Windows {
    /// The windows whose targets all lie in the training, validation and test rows
    /// respectively; a window whose targets straddle two parts is dropped.
    public func split(_ s: ChronologicalSplit) -> (train: Windows, validation: Windows, test: Windows) {
        func inside(_ r: Range<Int>) -> [Int] {
            (0..<count).filter { i in targetRows[i].allSatisfy { r.contains($0) } }
        }
        return (subset(inside(s.train)), subset(inside(s.validation)), subset(inside(s.test)))
    }
}
