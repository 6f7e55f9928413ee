// Tests for Appointments arrive with the module's issue.
