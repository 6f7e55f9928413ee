// Tests for ConsentAccess arrive with the module's issue.
