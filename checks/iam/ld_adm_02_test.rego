package lockdown.checks.ld_adm_02_test

import data.lockdown.checks.ld_adm_02

alice := "arn:aws:iam::111122223333:user/alice"

role := "arn:aws:iam::111122223333:role/AdminRole"

allowed := {
	"context": "mfa_session", "action": "sts:AssumeRole", "resource": role,
	"policy": "AdminPolicy", "policy_kind": "group-managed", "statement": "#1", "group": "Administrators",
}

inp(summary) := {"iam": {"users": {alice: {"arn": alice, "name": "alice", "assume_admin": summary}}, "groups": {}}}

test_loopholes_fail if {
	some r in ld_adm_02.results with input as inp({"roles": 3, "loophole_count": 2, "loopholes": [{"role": role, "allowed": allowed, "loopholes": ["no_tls", "stale_mfa"]}]})
	r.status == "FAIL"
	contains(r.message, "assume admin role AdminRole without TLS, with an MFA older than 3600 seconds")
	contains(r.message, "allowed by AdminPolicy statement #1 (group Administrators)")
	contains(r.message, "1 more admin role(s) likewise")
}

test_loophole_without_any_good_allow if {
	some r in ld_adm_02.results with input as inp({"roles": 1, "loophole_count": 1, "loopholes": [{"role": role, "allowed": null, "loopholes": ["no_mfa"]}]})
	r.status == "FAIL"
	contains(r.message, "without MFA")
	not contains(r.message, "allowed by")
}

test_guarded_allow_passes if {
	some r in ld_adm_02.results with input as inp({"roles": 1, "loophole_count": 0, "loopholes": []})
	r.status == "PASS"
}

test_no_allow_no_result if {
	count(ld_adm_02.results) == 0 with input as inp({"roles": 0, "loophole_count": 0, "loopholes": []})
}

ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "arn:aws:iam::111122223333:user/ghost group \"Ghosts\": the user is a member of a group the snapshot does not describe"}

# A user whose groups or policies are not completely known is NOT_ASSESSED
# with the reason, never PASS.
test_unknown_user_not_assessed if {
	rs := ld_adm_02.results with input as object.union(inp({"roles": 0, "loophole_count": 0, "loopholes": []}), {"policy_unknown": {ghost.arn: ghost}})
	some r in rs
	r.resource == {"arn": ghost.arn, "type": "AWS::IAM::User", "name": "ghost"}
	r.status == "NOT_ASSESSED"
	contains(r.message, "Ghosts")
}

test_unknown_role_not_assessed if {
	r0 := {"arn": role, "type": "AWS::IAM::Role", "name": "AdminRole", "reason": "trust policy: bad"}
	rs := ld_adm_02.results with input as object.union(inp({"roles": 0, "loophole_count": 0, "loopholes": []}), {"policy_unknown": {role: r0}})
	some r in rs
	r.resource.arn == role
	r.status == "NOT_ASSESSED"
}

test_evidence_lists_every_loophole if {
	other := "arn:aws:iam::111122223333:role/Other"
	some r in ld_adm_02.results with input as inp({"roles": 2, "loophole_count": 2, "loopholes": [
		{"role": role, "allowed": allowed, "loopholes": ["no_tls"]},
		{"role": other, "loopholes": ["no_mfa", "stale_mfa"]},
	]})
	r.evidence.resources == [role, other]
	r.evidence.items == [sprintf("%s: no_tls", [role]), sprintf("%s: no_mfa", [other]), sprintf("%s: stale_mfa", [other])]
	r.evidence.statements == ["AdminPolicy statement #1 (group Administrators)"]
}
