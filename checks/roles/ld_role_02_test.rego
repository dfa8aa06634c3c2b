package lockdown.checks.ld_role_02_test

import data.lockdown.checks.ld_role_02

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

role(name) := {"arn": sprintf("arn:aws:iam::111122223333:role/%s", [name]), "name": name}

open := {"any_principal": true, "statements": ["#1"], "actions": ["sts:AssumeRole"], "contexts": ["access_key", "mfa_session", "session_no_mfa"]}

closed := {"any_principal": false, "statements": [], "actions": [], "contexts": []}

inp(roles, trust) := {"account": acct, "roles": {r.arn: r | some r in roles}, "policy_grants": {"managed": {}, "inline": {}, "trust": trust}}

status(rs) := {r.resource.name: r.status | some r in rs}

test_open_and_closed if {
	a := role("Open")
	b := role("Closed")
	rs := ld_role_02.results with input as inp([a, b], {a.arn: open, b.arn: closed})
	status(rs) == {"Open": "FAIL", "Closed": "PASS"}
	some r in rs
	r.status == "FAIL"
	r.evidence.principals == ["*"]
	r.evidence.actions == ["sts:AssumeRole"]
}

test_unreadable_or_missing if {
	a := role("Bad")
	b := role("Missing")
	rs := ld_role_02.results with input as inp([a, b], {a.arn: object.union(closed, {"error": "Effect must be Allow or Deny"})})
	status(rs) == {"Bad": "NOT_ASSESSED", "Missing": "NOT_ASSESSED"}
}

test_no_roles if {
	rs := ld_role_02.results with input as inp([], {})
	status(rs) == {"111122223333": "PASS"}
}
