package lockdown.checks.ld_key_01_test

import data.lockdown.checks.ld_key_01

# collected 2026-11-27T07:00:00Z
base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"now_epoch": 1795762800,
	"params": {"access_key_max_age_days": 90},
}

row(name, keys) := {"user": name, "arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]), "access_keys": keys}

key(n, active, rotated) := {"n": n, "active": active, "last_rotated": rotated}

inp(rows) := object.union(base, {"credential_report": {"users": {r.arn: r | some r in rows}}})

by_detail(rs) := {sprintf("%s/%s", [r.resource.name, r.detail]): r.status | some r in rs}

test_rotation if {
	rows := [
		row("alice", [key(1, true, "2026-10-01T00:00:00Z"), key(2, false, "2020-01-01T00:00:00Z")]),
		row("bob", [key(1, true, "2026-01-01T00:00:00Z"), key(2, true, "2026-08-29T07:00:00Z")]),
	]
	rs := ld_key_01.results with input as inp(rows)
	by_detail(rs) == {"alice/access_key_1": "PASS", "bob/access_key_1": "FAIL", "bob/access_key_2": "PASS"}
	some r in rs
	r.status == "FAIL"
	contains(r.message, "2026-01-01")
}

test_missing_rotation_date_not_assessed if {
	rs := ld_key_01.results with input as inp([row("carol", [key(1, true, null), key(2, false, null)])])
	by_detail(rs) == {"carol/access_key_1": "NOT_ASSESSED"}
}

test_no_active_keys_passes_on_account if {
	rs := ld_key_01.results with input as inp([row("dan", [key(1, false, null), key(2, false, null)])])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.type == "AWS::Account"
}

test_param if {
	inp2 := object.union(inp([row("bob", [key(1, true, "2026-10-01T00:00:00Z")])]), {"params": {"access_key_max_age_days": 30}})
	rs := ld_key_01.results with input as inp2
	by_detail(rs) == {"bob/access_key_1": "FAIL"}
}

dave_unknown := {"arn": "arn:aws:iam::111122223333:user/dave", "type": "AWS::IAM::User", "name": "dave", "reason": "dave is not in the credential report: it was generated 3h0m0s before collection"}

# A user the credential report does not list is NOT_ASSESSED, with the
# report's age, and the account-wide all-clear is withheld.
test_user_missing_from_report_not_assessed if {
	rs := ld_key_01.results with input as object.union(inp([]), {"credential_unknown": {dave_unknown.arn: dave_unknown}})
	some r in rs
	r.resource.arn == dave_unknown.arn
	r.status == "NOT_ASSESSED"
	contains(r.message, "3h0m0s before collection")
	every x in rs {
		x.resource.type != "AWS::Account"
	}
}

test_title_parameter_in_message if {
	rs := ld_key_01.results with input as object.union(inp([row("alice", [key(1, true, "2026-11-01T00:00:00Z"), key(2, false, null)])]), {"params": {"access_key_max_age_days": 60}})
	some r in rs
	contains(r.message, "within 60 days")
}
