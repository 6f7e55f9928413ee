import CareCore

/// Where the demographics come from: the built-in file or one the user names.
struct DemographicsSource {
    /// A name for messages: the file path, or `built-in`.
    let name: String
    /// The CSV bytes.
    let bytes: [UInt8]

    /// Synthetic people from the strategy's journeys. The NHS numbers are from the NHS test range.
    static let builtIn = DemographicsSource(
        name: "built-in demographics",
        bytes: Array(
            """
            id,given,family,birth_date,postcode,channels,no_digital\r
            claire,Claire,O'Neill-Pascoe,1958-07-14,tr1 3lj,app sms,false\r
            john,John,Penhaligon,1961-11,PL31  2QN,email letter,false\r
            phil,Phil,Trevithick,1944,tr21 0pw,phone letter,true\r
            lucy,Lucy,Chenoweth,2011-05-02,TR15 3QE,app,false\r

            """.utf8
        )
    )
}

/// One imported person.
struct Person {
    let key: String
    let name: HumanName
    let birthDate: FHIRDate
    let postcode: Postcode
    let preferences: CommunicationPreferences
}

/// A fault in the import file that stops the import, said by file, line and field, never by value.
struct ImportFailure: Error, CustomStringConvertible {
    let file: String
    let error: CareCoreError

    var description: String {
        if let position = error.position {
            return "\(file): line \(position.line): \(error.field): \(error.reason)"
        }
        return "\(file): \(error.field): \(error.reason)"
    }
}

/// Reads people from a demographics CSV: structural faults stop the import; a row with an invalid value is
/// skipped and reported by line and field, so one bad row does not lose the others.
struct DemographicsImport {
    static let columns = ["id", "given", "family", "birth_date", "postcode", "channels", "no_digital"]

    var people: [Person] = []
    var rejected: [(line: Int, error: CareCoreError)] = []

    init(_ source: DemographicsSource) throws(ImportFailure) {
        let table: CSVTable
        do {
            table = try CSVTable(bytes: source.bytes)
        } catch {
            throw ImportFailure(file: source.name, error: error)
        }
        for column in Self.columns where !table.hasColumn(column) {
            throw ImportFailure(
                file: source.name,
                error: CareCoreError(
                    .missing,
                    field: FieldPath("csv.header"),
                    reason: "the header has no '\(column)' column",
                    position: TextPosition(line: 1, column: 1)
                )
            )
        }
        for row in table.rows {
            do {
                people.append(try Self.person(from: row, in: table))
            } catch {
                rejected.append((row.line, error))
            }
        }
    }

    private static func person(from row: CSVRecord, in table: CSVTable) throws(CareCoreError) -> Person {
        let family = try table.value(of: "family", in: row)
        let name = try HumanName(
            use: .official,
            given: [try table.value(of: "given", in: row)],
            family: family.isEmpty ? nil : family
        )
        let birthDate = try FHIRDate(parsing: try table.value(of: "birth_date", in: row))
        let postcode = try Postcode(parsing: try table.value(of: "postcode", in: row))
        var channels: [CommunicationChannel] = []
        for word in try table.value(of: "channels", in: row).split(separator: " ") {
            guard let channel = CommunicationChannel.known.first(where: { $0.rawValue == word }) else {
                throw CareCoreError(.invalidFormat, field: FieldPath("channels"), reason: "not a known channel")
            }
            channels.append(channel)
        }
        let noDigital: Bool
        switch try table.value(of: "no_digital", in: row) {
        case "true": noDigital = true
        case "false", "": noDigital = false
        default:
            throw CareCoreError(.invalidFormat, field: FieldPath("no_digital"), reason: "must be true or false")
        }
        let preferences = try CommunicationPreferences(preferredChannels: channels, noDigital: noDigital)
        return Person(
            key: try table.value(of: "id", in: row),
            name: name,
            birthDate: birthDate,
            postcode: postcode,
            preferences: preferences
        )
    }
}
