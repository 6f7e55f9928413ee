// Tests for CarePlans arrive with the module's issue.
