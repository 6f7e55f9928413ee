/// The shape every error of the suite takes: where the fault is and why, never the offending value.
///
/// Each module has one public error type that conforms to this protocol (``CareCoreError`` here;
/// `PatientIdentityError`, `AppointmentsError` and so on in the other modules). Because the value that
/// failed may be patient data (a name, an NHS number, a date of birth, a postcode), an error says
/// "not a valid postcode" and names the field, but never repeats the text it was given. That makes every
/// error safe to log, to show on a screen and to send to a support desk.
///
/// Code that composes several modules can catch `any CareError` and report ``field`` and ``reason``
/// uniformly.
public protocol CareError: Error, Sendable, CustomStringConvertible {
    /// Where in the input the fault is; ``FieldPath/root`` when the whole value is at fault.
    var field: FieldPath { get }
    /// A fixed, human-readable explanation written by the library, free of patient data.
    var reason: String { get }
    /// The error's code as its stable text, such as `not-found` or `version-conflict`: what code that
    /// composes several modules switches on, and what a service maps to an HTTP status or a FHIR issue type.
    /// The texts are part of the public API; a module may add codes but never renames one.
    var codeText: String { get }
}
