package lockdown.checks.ld_key_04_test

import data.lockdown.checks.ld_key_04

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"now_epoch": 1795762800,
	"params": {"initial_key_window_seconds": 60},
	"credential_unknown": {},
}

created := "2026-01-01T00:00:00Z"

row(name, pw, keys) := {
	"user": name, "arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]),
	"user_creation_time": created, "password_enabled": pw, "access_keys": keys,
}

unused(n, rotated) := {"n": n, "active": true, "last_rotated": rotated, "last_used_date": null, "last_used_date_info": "N/A"}

used(n, rotated) := {"n": n, "active": true, "last_rotated": rotated, "last_used_date": "2026-02-01T00:00:00Z"}

inactive(n) := {"n": n, "active": false, "last_rotated": null, "last_rotated_info": "N/A", "last_used_date": null, "last_used_date_info": "N/A"}

inp(rows) := object.union(base, {"credential_report": {"users": {r.arn: r | some r in rows}}})

status(rs) := {r.resource.name: r.status | some r in rs}

test_setup_key_fails if {
	rs := ld_key_04.results with input as inp([row("alice", true, [unused(1, "2026-01-01T00:00:07Z"), inactive(2)])])
	status(rs) == {"alice": "FAIL"}
	some r in rs
	r.evidence.items == ["access_key_1"]
}

test_both_keys_named if {
	rs := ld_key_04.results with input as inp([row("alice", true, [unused(1, created), unused(2, "2026-01-01T00:00:30Z")])])
	some r in rs
	r.evidence.items == ["access_key_1", "access_key_2"]
}

test_used_or_later_keys_pass if {
	rows := [
		row("bob", true, [used(1, created)]),
		row("carol", true, [unused(1, "2026-03-01T00:00:00Z")]),
		row("dave", false, [unused(1, created)]),
		row("erin", true, [inactive(1), inactive(2)]),
	]
	rs := ld_key_04.results with input as inp(rows)
	status(rs) == {"bob": "PASS", "carol": "PASS", "dave": "PASS", "erin": "PASS"}
}

test_window_is_a_param if {
	inp2 := object.union(inp([row("alice", true, [unused(1, "2026-01-01T00:05:00Z")])]), {"params": {"initial_key_window_seconds": 600}})
	rs := ld_key_04.results with input as inp2
	status(rs) == {"alice": "FAIL"}
	rs2 := ld_key_04.results with input as inp([row("alice", true, [unused(1, "2026-01-01T00:05:00Z")])])
	status(rs2) == {"alice": "PASS"}
}

test_unknown_user_not_assessed if {
	u := {"arn": "arn:aws:iam::111122223333:user/zed", "type": "AWS::IAM::User", "name": "zed", "reason": "zed is not in the credential report"}
	rs := ld_key_04.results with input as object.union(inp([]), {"credential_unknown": {u.arn: u}})
	status(rs) == {"zed": "NOT_ASSESSED"}
}

test_no_users_one_account_result if {
	rs := ld_key_04.results with input as inp([])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.type == "AWS::Account"
}

test_undated_not_assessed if {
	r := object.union(row("alice", true, [unused(1, "2026-01-01T00:00:07Z")]), {"user_creation_time": null})
	rs := ld_key_04.results with input as inp([r])
	status(rs) == {"alice": "NOT_ASSESSED"}
}
