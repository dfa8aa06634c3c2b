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
