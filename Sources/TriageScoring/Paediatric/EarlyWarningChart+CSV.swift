import CareCore

extension EarlyWarningChart {
    /// The columns a chart file must have, in the usual order.
    public static let csvColumns = ["kind", "age_from_months", "age_to_months", "parameter", "value", "points"]

    /// Loads a chart from CSV text, one row per band, code, tier or trigger.
    ///
    /// The first record is the header and must name the columns of ``csvColumns``, in any order; other columns
    /// (a `note` column for the transcriber's page references, say) are ignored. Fields are trimmed of spaces.
    /// Each row's `kind` says what it holds; columns a kind does not use must be empty.
    ///
    /// | kind | age_from_months | age_to_months | parameter | value | points |
    /// |---|---|---|---|---|---|
    /// | `name` | | | | the chart's name | |
    /// | `source` | | | | version and source text | |
    /// | `numeric` | first month | last month, or `open` | key | inclusive upper bound, or `open` | points |
    /// | `coded` | first month | last month, or `open` | key | code | points |
    /// | `minimum` | | | key of a numeric parameter | lowest possible value | |
    /// | `maximum` | | | key of a numeric parameter | highest possible value | |
    /// | `tier` | | | | tier name | least total that reaches it |
    /// | `trigger` | | | concern key | tier name | |
    ///
    /// - `name` and `source` appear once each.
    /// - Rows with the same age columns make one age band; bands are ordered by their first month.
    /// - A numeric parameter's rows within an age band are in ascending order of upper bound, the last one
    ///   `open`, exactly as they are read off the chart.
    /// - `tier` rows are in ascending order of total.
    /// - `minimum` and `maximum` are optional, but come in pairs.
    ///
    /// ```text
    /// kind,age_from_months,age_to_months,parameter,value,points
    /// name,,,,<chart name>,
    /// source,,,,<publisher, edition, date; transcribed by; checked by>,
    /// numeric,0,11,heart-rate,<upper bound>,<points>
    /// numeric,0,11,heart-rate,open,<points>
    /// coded,0,11,consciousness,<code>,<points>
    /// tier,,,,<tier name>,<least total>
    /// trigger,,,parent-concern,<tier name>,
    /// ```
    ///
    /// - Parameter csv: The CSV text.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/malformedChart``, the field path
    ///   and, wherever the fault is on one row, the one-based line of that row (``TriageScoringError/line``).
    /// - Complexity: O(*n* log *n*) in the number of rows.
    public init(csv: String) throws(TriageScoringError) {
        try self.init(csvBytes: Array(csv.utf8))
    }

    /// Loads a chart from CSV bytes in UTF-8, in the format of ``init(csv:)``.
    ///
    /// - Parameter csvBytes: The CSV text as UTF-8.
    /// - Throws: As ``init(csv:)``.
    public init(csvBytes: [UInt8]) throws(TriageScoringError) {
        let table: CSVTable
        do {
            table = try CSVTable(bytes: csvBytes)
        } catch {
            let failure = Self.malformed(FieldPath("csv"), "the file is not valid CSV: \(error.reason)")
            throw error.position.map { failure.onLine($0.line) } ?? failure
        }
        var loader = ChartCSVLoader(table: table)
        let parts = try loader.load()
        do {
            try self.init(
                name: parts.name,
                source: parts.source,
                ageBands: parts.ageBands,
                escalationTiers: parts.tiers,
                mandatoryTriggers: parts.triggers,
                possibleRanges: parts.ranges
            )
        } catch {
            throw loader.placed(error)
        }
    }
}

/// Reads a chart's rows into the parts of ``EarlyWarningChart``, remembering the line of each part.
private struct ChartCSVLoader {
    struct Parts {
        var name: String
        var source: String
        var ageBands: [EarlyWarningChart.AgeBand]
        var tiers: [EarlyWarningChart.EscalationTier]
        var triggers: [EarlyWarningChart.MandatoryTrigger]
        var ranges: [String: ClosedRange<Double>]
    }

    /// An age band's bounds, as the rows give them.
    struct AgeKey: Hashable, Comparable {
        var from: Int
        var to: Int?

        static func < (lhs: AgeKey, rhs: AgeKey) -> Bool {
            if lhs.from != rhs.from { return lhs.from < rhs.from }
            return (lhs.to ?? Int.max) < (rhs.to ?? Int.max)
        }
    }

    /// One age band being gathered.
    struct BandRows {
        var firstLine: Int
        var numeric: [String: [EarlyWarningChart.NumericBand]] = [:]
        var numericLines: [String: [Int]] = [:]
        var coded: [String: [String: Int]] = [:]
        var codedLines: [String: [String: Int]] = [:]
    }

    let table: CSVTable
    /// The line of each part of the chart, by the path ``EarlyWarningChart``'s checks use.
    private(set) var lines: [FieldPath: Int] = [:]

    init(table: CSVTable) {
        self.table = table
    }

    /// The error placed on the line of the nearest part of the chart it names, if any.
    func placed(_ error: TriageScoringError) -> TriageScoringError {
        var components = error.field.components
        while !components.isEmpty {
            if let line = lines[FieldPath(components: components)] { return error.onLine(line) }
            components.removeLast()
        }
        return error
    }

    mutating func load() throws(TriageScoringError) -> Parts {
        for column in EarlyWarningChart.csvColumns where !table.hasColumn(column) {
            throw EarlyWarningChart.malformed(
                FieldPath("csv.header").appending(column),
                "the file has no column of this name"
            )
            .onLine(1)
        }
        var name: (text: String, line: Int)?
        var source: (text: String, line: Int)?
        var bands: [AgeKey: BandRows] = [:]
        var tiers: [(tier: EarlyWarningChart.EscalationTier, line: Int)] = []
        var triggers: [(trigger: EarlyWarningChart.MandatoryTrigger, line: Int)] = []
        var minimums: [String: (value: Double, line: Int)] = [:]
        var maximums: [String: (value: Double, line: Int)] = [:]
        var firstLineOfParameter: [String: Int] = [:]

        for record in table.rows {
            let row = try Row(table: table, record: record)
            switch row.kind {
            case "name", "source":
                try row.requireOnly(["value"])
                let text = try row.text("value")
                if row.kind == "name" {
                    guard name == nil else { throw row.error("kind", "the chart's name is given twice") }
                    name = (text, row.line)
                } else {
                    guard source == nil else { throw row.error("kind", "the chart's source is given twice") }
                    source = (text, row.line)
                }
            case "numeric", "coded":
                try row.requireOnly(["age_from_months", "age_to_months", "parameter", "value", "points"])
                let age = AgeKey(from: try row.months("age_from_months"), to: try row.monthsOrOpen("age_to_months"))
                let key = try row.key("parameter")
                let points = try row.integer("points")
                var band = bands[age] ?? BandRows(firstLine: row.line)
                if firstLineOfParameter[key] == nil { firstLineOfParameter[key] = row.line }
                if row.kind == "numeric" {
                    band.numeric[key, default: []].append(
                        EarlyWarningChart.NumericBand(upTo: try row.numberOrOpen("value"), points: points)
                    )
                    band.numericLines[key, default: []].append(row.line)
                } else {
                    let code = try row.text("value")
                    guard band.coded[key]?[code] == nil else {
                        throw row.error("value", "this code is given twice for the parameter in this age band")
                    }
                    band.coded[key, default: [:]][code] = points
                    band.codedLines[key, default: [:]][code] = row.line
                }
                bands[age] = band
            case "minimum", "maximum":
                try row.requireOnly(["parameter", "value"])
                let key = try row.key("parameter")
                let value = try row.number("value")
                if row.kind == "minimum" {
                    guard minimums[key] == nil else { throw row.error("kind", "a minimum is given twice") }
                    minimums[key] = (value, row.line)
                } else {
                    guard maximums[key] == nil else { throw row.error("kind", "a maximum is given twice") }
                    maximums[key] = (value, row.line)
                }
            case "tier":
                try row.requireOnly(["value", "points"])
                let tier = EarlyWarningChart.EscalationTier(
                    name: try row.text("value"),
                    minimumTotal: try row.integer("points")
                )
                tiers.append((tier, row.line))
            case "trigger":
                try row.requireOnly(["parameter", "value"])
                let trigger = EarlyWarningChart.MandatoryTrigger(
                    concern: try row.key("parameter"),
                    tier: try row.text("value")
                )
                triggers.append((trigger, row.line))
            default:
                throw row.error(
                    "kind",
                    "unknown kind: expected name, source, numeric, coded, minimum, maximum, tier or trigger"
                )
            }
        }

        guard let name else {
            throw EarlyWarningChart.malformed(FieldPath("name"), "the file has no name row")
        }
        guard let source else {
            throw EarlyWarningChart.malformed(FieldPath("source"), "the file has no source row")
        }
        lines[FieldPath("name")] = name.line
        lines[FieldPath("source")] = source.line

        var ageBands: [EarlyWarningChart.AgeBand] = []
        for (index, age) in bands.keys.sorted().enumerated() {
            guard let rows = bands[age] else { continue }
            let path = FieldPath("ageBands").appending(index: index)
            lines[path] = rows.firstLine
            for (key, keyLines) in rows.numericLines {
                lines[path.appending("numeric").appending(key)] = keyLines.first
                for (position, line) in keyLines.enumerated() {
                    lines[path.appending("numeric").appending(key).appending(index: position)] = line
                }
            }
            for (key, codeLines) in rows.codedLines {
                lines[path.appending("coded").appending(key)] = codeLines.values.min()
                for (code, line) in codeLines {
                    lines[path.appending("coded").appending(key).appending(code)] = line
                }
            }
            ageBands.append(
                EarlyWarningChart.AgeBand(
                    fromMonths: age.from,
                    toMonths: age.to,
                    numericParameters: rows.numeric,
                    codedParameters: rows.coded
                )
            )
        }
        for (key, line) in firstLineOfParameter {
            lines[FieldPath("parameters").appending(key)] = line
        }
        for (index, entry) in tiers.enumerated() {
            lines[FieldPath("escalationTiers").appending(index: index)] = entry.line
        }
        for (index, entry) in triggers.enumerated() {
            lines[FieldPath("mandatoryTriggers").appending(index: index)] = entry.line
        }

        var ranges: [String: ClosedRange<Double>] = [:]
        for key in Set(minimums.keys).union(maximums.keys).sorted() {
            let path = FieldPath("possibleRanges").appending(key)
            switch (minimums[key], maximums[key]) {
            case (let minimum?, let maximum?):
                lines[path] = minimum.line
                guard minimum.value <= maximum.value else {
                    throw EarlyWarningChart.malformed(path, "the minimum is above the maximum").onLine(maximum.line)
                }
                ranges[key] = minimum.value...maximum.value
            case (let minimum?, nil):
                throw EarlyWarningChart.malformed(path, "a minimum needs a maximum").onLine(minimum.line)
            case (nil, let maximum?):
                throw EarlyWarningChart.malformed(path, "a maximum needs a minimum").onLine(maximum.line)
            case (nil, nil):
                continue
            }
        }

        return Parts(
            name: name.text,
            source: source.text,
            ageBands: ageBands,
            tiers: tiers.map(\.tier),
            triggers: triggers.map(\.trigger),
            ranges: ranges
        )
    }
}

/// One row of a chart file, with typed access to its fields and errors placed on its line.
private struct Row {
    let kind: String
    let line: Int
    private let fields: [String: String]

    init(table: CSVTable, record: CSVRecord) throws(TriageScoringError) {
        var fields: [String: String] = [:]
        for column in EarlyWarningChart.csvColumns {
            do {
                fields[column] = Self.trimmed(try table.value(of: column, in: record))
            } catch {
                throw EarlyWarningChart.malformed(FieldPath("csv").appending(column), error.reason)
                    .onLine(record.line)
            }
        }
        self.kind = fields["kind"] ?? ""
        self.line = record.line
        self.fields = fields
    }

    func error(_ column: String, _ reason: String) -> TriageScoringError {
        EarlyWarningChart.malformed(FieldPath("csv").appending(column), reason).onLine(line)
    }

    /// Checks that the columns this kind does not use are empty.
    func requireOnly(_ used: Set<String>) throws(TriageScoringError) {
        for column in EarlyWarningChart.csvColumns where column != "kind" && !used.contains(column) {
            guard fields[column]?.isEmpty ?? true else {
                throw error(column, "this column must be empty for a \(kind) row")
            }
        }
    }

    func text(_ column: String) throws(TriageScoringError) -> String {
        guard let text = fields[column], !text.isEmpty else { throw error(column, "this column must not be empty") }
        return text
    }

    func key(_ column: String) throws(TriageScoringError) -> String {
        let text = try text(column)
        guard EarlyWarningChart.isValidKey(text) else {
            throw error(column, "a key must be lower-case letters, digits and hyphens")
        }
        return text
    }

    func integer(_ column: String) throws(TriageScoringError) -> Int {
        let text = try text(column)
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = Int(text)
        else {
            throw error(column, "this column must be a whole number")
        }
        return value
    }

    func months(_ column: String) throws(TriageScoringError) -> Int {
        let value = try integer(column)
        guard value >= 0 else { throw error(column, "an age in months cannot be negative") }
        return value
    }

    func monthsOrOpen(_ column: String) throws(TriageScoringError) -> Int? {
        try text(column) == "open" ? nil : months(column)
    }

    func number(_ column: String) throws(TriageScoringError) -> Double {
        let text = try text(column)
        // Plain decimals only: no exponents, no `inf` or `nan`, no hexadecimal.
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDecimal =
            !body.isEmpty
            && parts.allSatisfy { part in
                !part.isEmpty && part.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            }
        guard isDecimal, let value = Double(text), value.isFinite else {
            throw error(column, "this column must be a decimal number")
        }
        return value
    }

    func numberOrOpen(_ column: String) throws(TriageScoringError) -> Double? {
        try text(column) == "open" ? nil : number(column)
    }

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
