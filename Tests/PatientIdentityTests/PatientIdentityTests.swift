// Tests for PatientIdentity arrive with the module's issue.
