package lockdown.checks.ld_adm_02_test

import data.lockdown.checks.ld_adm_02

alice := "arn:aws:iam::111122223333:user/alice"

role := "arn:aws:iam::111122223333:role/AdminRole"

allowed := {
	"context": "mfa_session", "action": "sts:AssumeRole", "resource": role,
	"policy": "AdminPolicy", "policy_kind": "group-managed", "statement": "#1", "group": "Administrators",
}

inp(summary) := {"iam": {"users": {alice: {"arn": alice, "name": "alice", "assume_admin": summary}}, "groups": {}, "admin_role_sets": {}}}

# one(r, a, ls) is a class of the single role r.
one(r, a, ls) := {"role": r, "role_count": 1, "role_set": "", "allowed": a, "loopholes": ls}

test_loopholes_fail if {
	some r in ld_adm_02.results with input as inp({"roles": 3, "loophole_count": 2, "loopholes": [one(role, allowed, ["no_tls", "stale_mfa"])]})
	r.status == "FAIL"
	contains(r.message, "assume admin role AdminRole without TLS, with an MFA older than 3600 seconds")
	contains(r.message, "allowed by AdminPolicy statement #1 (group Administrators)")
	contains(r.message, "1 more admin role(s) likewise")
}

test_loophole_without_any_good_allow if {
	some r in ld_adm_02.results with input as inp({"roles": 1, "loophole_count": 1, "loopholes": [one(role, null, ["no_mfa"])]})
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
		one(role, allowed, ["no_tls"]),
		object.remove(one(other, null, ["no_mfa", "stale_mfa"]), ["allowed"]),
	]})
	r.evidence.resources == [role, other]
	r.evidence.items == [sprintf("%s: no_tls", [role]), sprintf("%s: no_mfa", [other]), sprintf("%s: stale_mfa", [other])]
	r.evidence.statements == ["AdminPolicy statement #1 (group Administrators)"]
}

# A class of several roles is named by its role set in the principal's
# result; the set is reported once, with every role and every principal.
test_role_set_named_once if {
	other := "arn:aws:iam::111122223333:role/Other"
	bob := "arn:aws:iam::111122223333:user/bob"
	summary := {"roles": 2, "loophole_count": 2, "loopholes": [{"role": role, "role_count": 2, "role_set": "0a1b2c3d4e5f", "allowed": allowed, "loopholes": ["no_mfa"]}]}
	sets := {"0a1b2c3d4e5f": {"id": "0a1b2c3d4e5f", "roles": [role, other], "principals": [alice, bob]}}
	rs := ld_adm_02.results with input as {"iam": {
		"users": {
			alice: {"arn": alice, "name": "alice", "assume_admin": summary},
			bob: {"arn": bob, "name": "bob", "assume_admin": summary},
		},
		"groups": {}, "admin_role_sets": sets,
	}}
	count(rs) == 3
	some a in rs
	a.resource.name == "alice"
	a.status == "FAIL"
	contains(a.message, "assume admin role AdminRole without MFA")
	contains(a.message, "1 more admin role(s) likewise. The roles are listed in admin role set(s) 0a1b2c3d4e5f.")
	a.evidence.resources == ["lockdown:admin-role-set/0a1b2c3d4e5f"]
	a.evidence.items == ["admin role set 0a1b2c3d4e5f (2 roles): no_mfa"]
	some s in rs
	s.resource == {"arn": "lockdown:admin-role-set/0a1b2c3d4e5f", "type": "Lockdown::IAM::AdminRoleSet", "name": "0a1b2c3d4e5f"}
	s.status == "FAIL"
	s.evidence == {"resources": [role, other], "principals": [alice, bob]}
	contains(s.message, "2 principal(s)")
}
