extension ActivityCatalogue {
    /// The NHS RBAC codes this library's research verified, with their names, the verified include (B0825
    /// includes B0820) and the verified baseline example (R8000 may perform B0825).
    ///
    /// Sources: NHS England, "National role-based access control (RBAC) for developers"; the Black Pear "NHS
    /// NCRS Role Codes" code system (RBAC v27.2); "CodeSystem: Care Connect SDS Job Role Name"; NHS guidance
    /// pages on SCR viewing, appointment-book rights and SCR governance. The baseline policy here is only the
    /// published example: load the National RBAC Database's baseline with ``init(csv:)`` before relying on
    /// baseline activities, or pass activities explicitly in each role profile, as CIS2 does.
    public static let nhsDefault: ActivityCatalogue = {
        var catalogue = ActivityCatalogue()
        let roles: [(String, String)] = [
            ("R8000", "Clinical Practitioner Access Role"),
            ("R8001", "Nurse Access Role"),
            ("R8003", "Health Professional Access Role"),
            ("R8004", "Healthcare Student Access Role"),
            ("R8006", "Medical Secretary"),
            ("R8008", "Admin or Clinical Support"),
            ("R8009", "Receptionist"),
            ("R8010", "Clerical"),
            ("R8012", "Information Officer"),
            ("R8015", "Systems Support"),
            ("R0001", "Privacy Officer"),
            ("R5105", "Caldicott Guardian"),
            ("R0260", "General Medical Practitioner"),
            ("R0050", "Consultant"),
            ("R1981", "Psychiatrist"),
            ("R6200", "GP Registrar"),
        ]
        let activities: [(String, String)] = [
            ("B0820", "View Patient Demographics"),
            ("B0825", "Amend Patient Demographics"),
            ("B0370", "View Summary Health Records"),
            ("B0380", "Perform Detailed Health Record"),
            ("B8029", "Manage Detailed Health Records"),
            ("B8028", "Verify Health Records"),
            ("B0020", "Control Consent Status"),
            ("B0168", "View when permission could not be requested"),
            ("B0082", "Legal Override of Consent"),
            ("B0015", "Receive Legal Override and Emergency View Alerts"),
            ("B0016", "Receive Self Claimed LR Alerts"),
            ("B0018", "Receive Sealing Alerts"),
            ("B0011", "Analyse Audit Trails"),
            ("B0062", "Local System Administration"),
            ("B0560", "Perform Patient Administration"),
            ("B0862", "Manage Staff Diary/Rotas"),
            ("B8013", "Amend Patient Administration"),
            ("B0428", "Personal Medication Administration"),
            ("B0268", "NRL Record Group 1: pointer only"),
            ("B0269", "NRL Record Group 1: pointer and record"),
        ]
        for (code, name) in roles {
            if let role = JobRoleCode(code) { catalogue.add(role: role, name: name) }
        }
        for (code, name) in activities {
            if let activity = ActivityCode(code) { catalogue.add(activity: activity, name: name) }
        }
        if let amend = ActivityCode("B0825"), let view = ActivityCode("B0820"), let clinician = JobRoleCode("R8000") {
            catalogue.add(amend, includes: view)
            catalogue.grant([amend], to: clinician)
        }
        return catalogue
    }()
}
