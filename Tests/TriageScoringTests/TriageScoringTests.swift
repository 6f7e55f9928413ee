// Tests for TriageScoring arrive with the module's issue.
