import CareCore
import Foundation

extension ActivityCatalogue {
    /// Reads a catalogue from CSV with the header `kind,code,name,target`.
    ///
    /// Each row is one of:
    /// - `role,R8000,Clinical Practitioner Access Role,` names a job role;
    /// - `activity,B0825,Amend Patient Demographics,` names an activity;
    /// - `includes,B0825,,B0820` records that B0825 includes B0820;
    /// - `baseline,R8000,,B0825` gives R8000 the activity B0825 in the baseline policy.
    ///
    /// ```swift
    /// let local = try ActivityCatalogue(csv: text)
    /// let catalogue = ActivityCatalogue.nhsDefault.merging(local)
    /// ```
    ///
    /// - Parameter csv: The CSV text.
    /// - Throws: ``ConsentAccessError`` with code `malformedDocument` for a missing column or an unknown kind,
    ///   or `invalidCode` for a malformed code; the reason names the line.
    public init(csv: String) throws(ConsentAccessError) {
        let table: CSVTable
        do {
            table = try CSVTable(string: csv)
        } catch {
            throw ConsentAccessError(.malformedDocument, field: error.field, reason: error.description)
        }
        for column in ["kind", "code", "name", "target"] where !table.hasColumn(column) {
            throw ConsentAccessError(
                .malformedDocument,
                field: FieldPath(column),
                reason: "the catalogue needs the columns kind, code, name and target"
            )
        }
        self.init()
        for row in table.rows {
            try read(row, of: table)
        }
    }

    /// The catalogue as CSV in the form ``init(csv:)`` reads, sorted so that the text is stable.
    public var csv: String {
        var lines = ["kind,code,name,target"]
        lines += roles.keys.sorted().map { "role,\($0),\(Self.quoted(roles[$0] ?? ""))," }
        lines += activities.keys.sorted().map { "activity,\($0),\(Self.quoted(activities[$0] ?? ""))," }
        for activity in includes.keys.sorted() {
            lines += (includes[activity] ?? []).sorted().map { "includes,\(activity),,\($0)" }
        }
        for role in baseline.keys.sorted() {
            lines += (baseline[role] ?? []).sorted().map { "baseline,\(role),,\($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func read(_ row: CSVRecord, of table: CSVTable) throws(ConsentAccessError) {
        let values: (kind: String, code: String, name: String, target: String)
        do {
            values = (
                try table.value(of: "kind", in: row), try table.value(of: "code", in: row),
                try table.value(of: "name", in: row), try table.value(of: "target", in: row)
            )
        } catch {
            throw ConsentAccessError(.malformedDocument, field: error.field, reason: "line \(row.line) is short")
        }
        do throws(ConsentAccessError) {
            switch values.kind {
            case "role":
                try add(role: JobRoleCode(parsing: values.code), name: Self.requireName(values.name, line: row.line))
            case "activity":
                let name = try Self.requireName(values.name, line: row.line)
                try add(activity: ActivityCode(parsing: values.code), name: name)
            case "includes":
                try add(ActivityCode(parsing: values.code), includes: ActivityCode(parsing: values.target))
            case "baseline":
                try grant([ActivityCode(parsing: values.target)], to: JobRoleCode(parsing: values.code))
            default:
                throw ConsentAccessError(
                    .malformedDocument,
                    field: FieldPath("kind"),
                    reason: "the kind must be role, activity, includes or baseline (line \(row.line))"
                )
            }
        } catch  where error.code == .invalidCode {
            throw ConsentAccessError(error.code, field: error.field, reason: "\(error.reason) (line \(row.line))")
        }
    }

    private static func requireName(_ name: String, line: Int) throws(ConsentAccessError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ConsentAccessError(
                .malformedDocument,
                field: FieldPath("name"),
                reason: "a name is empty (line \(line))"
            )
        }
        return trimmed
    }

    /// A field quoted when it must be, by CareCore's CSV writer's rules.
    private static func quoted(_ text: String) -> String {
        CSVWriter.escaped(text)
    }
}
