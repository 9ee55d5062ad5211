/// Time-stamped rows with one or more named numeric columns.
///
/// Values are `Double`; a missing value is `.nan`. Time stamps are naive local wall-clock
/// times (`LocalDateTime`). The readers produce strictly increasing time stamps; the
/// cleaning functions turn a series into a regular one with missing steps explicit.
public struct TimeSeries: Equatable, Sendable {
    /// One time stamp per row.
    public private(set) var timestamps: [LocalDateTime]
    /// Column names, in order.
    public private(set) var names: [String]
    /// Column values, `columns[c][row]`; `.nan` marks a missing value.
    public private(set) var columns: [[Double]]

    /// Creates a series from time stamps and named columns.
    /// - Precondition: every column has one value per time stamp and names are unique.
    public init(timestamps: [LocalDateTime], columns: [(name: String, values: [Double])]) {
        precondition(columns.allSatisfy { $0.values.count == timestamps.count },
                     "every column needs \(timestamps.count) values")
        precondition(Set(columns.map { $0.name }).count == columns.count, "column names must be unique")
        self.timestamps = timestamps
        self.names = columns.map { $0.name }
        self.columns = columns.map { $0.values }
    }

    /// Creates a one-column series.
    public init(timestamps: [LocalDateTime], name: String, values: [Double]) {
        self.init(timestamps: timestamps, columns: [(name, values)])
    }

    /// Number of rows.
    public var count: Int { timestamps.count }

    /// The values of a column, or nil when there is no such column.
    public func column(_ name: String) -> [Double]? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// The values of a column; traps when it does not exist.
    public subscript(_ name: String) -> [Double] {
        guard let c = column(name) else { preconditionFailure("no column '\(name)' in \(names)") }
        return c
    }

    /// Number of missing (NaN) values in a column.
    public func missingCount(_ name: String) -> Int { self[name].filter { $0.isNaN }.count }

    /// Replaces (or appends) a column.
    public mutating func setColumn(_ name: String, _ values: [Double]) {
        precondition(values.count == count, "column '\(name)' needs \(count) values")
        if let i = names.firstIndex(of: name) { columns[i] = values } else { names.append(name); columns.append(values) }
    }

    /// The rows in `range`.
    public func rows(_ range: Range<Int>) -> TimeSeries {
        TimeSeries(timestamps: Array(timestamps[range]),
                   columns: zip(names, columns).map { ($0, Array($1[range])) })
    }

    /// The rows with `from <= time < until` (either bound optional).
    public func between(from: LocalDateTime? = nil, until: LocalDateTime? = nil) -> TimeSeries {
        let lo = from.map { f in timestamps.firstIndex { $0 >= f } ?? count } ?? 0
        let hi = until.map { u in timestamps.firstIndex { $0 >= u } ?? count } ?? count
        return rows(lo..<max(lo, hi))
    }

    /// Only the named columns, in the given order.
    public func selecting(_ wanted: [String]) -> TimeSeries {
        TimeSeries(timestamps: timestamps, columns: wanted.map { ($0, self[$0]) })
    }
}
