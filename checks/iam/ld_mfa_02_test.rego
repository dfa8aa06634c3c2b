package lockdown.checks.ld_mfa_02_test

import data.lockdown.checks.ld_mfa_02

bob := "arn:aws:iam::111122223333:user/bob"

inp(other) := {"iam": {"users": {bob: {"arn": bob, "name": "bob", "other_users": other}}}}

test_fail_on_other_users_credentials if {
	g := {
		"context": "mfa_session", "action": "iam:UpdateLoginProfile",
		"resource": "arn:aws:iam::111122223333:user/lockdown-other-user",
		"policy": "IAMRequireMFA", "policy_kind": "group-managed", "statement": "Self", "group": "Users",
	}
	some r in ld_mfa_02.results with input as inp([g])
	r.status == "FAIL"
	contains(r.message, "iam:UpdateLoginProfile on another user")
	contains(r.message, "IAMRequireMFA statement Self (group Users)")
}

test_pass_when_scoped if {
	some r in ld_mfa_02.results with input as inp([])
	r.status == "PASS"
}

ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "arn:aws:iam::111122223333:user/ghost group \"Ghosts\": the user is a member of a group the snapshot does not describe"}

# A user whose groups or policies are not completely known is NOT_ASSESSED
# with the reason, never PASS.
test_unknown_user_not_assessed if {
	rs := ld_mfa_02.results with input as object.union(inp([]), {"policy_unknown": {ghost.arn: ghost}})
	some r in rs
	r.resource == {"arn": ghost.arn, "type": "AWS::IAM::User", "name": "ghost"}
	r.status == "NOT_ASSESSED"
	contains(r.message, "Ghosts")
}

test_evidence_lists_every_grant if {
	g := {
		"context": "mfa_session", "action": "iam:UpdateLoginProfile",
		"resource": "arn:aws:iam::111122223333:user/lockdown-other-user",
		"policy": "P", "policy_kind": "user-inline", "statement": "S",
	}
	g2 := object.union(g, {"action": "iam:CreateAccessKey"})
	some r in ld_mfa_02.results with input as inp([g, g2])
	r.evidence.actions == ["iam:UpdateLoginProfile", "iam:CreateAccessKey"]
	r.evidence.resources == ["arn:aws:iam::111122223333:user/lockdown-other-user", "arn:aws:iam::111122223333:user/lockdown-other-user"]
}
