// Tests for FHIREncoding arrive with the module's issue.
