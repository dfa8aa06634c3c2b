package lockdown.checks.ld_key_05_test

import data.lockdown.checks.ld_key_05

# collected 2026-11-27T07:00:00Z
base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"now_epoch": 1795762800,
	"params": {"credential_unused_days_sh": 45},
}

row(name, pw, keys) := object.union(
	{"user": name, "arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]), "user_creation_time": "2026-01-01T00:00:00Z", "access_keys": keys},
	pw,
)

pw(used, changed) := {"password_enabled": true, "password_last_used": used, "password_last_changed": changed}

no_pw := {"password_enabled": false, "password_last_used": null, "password_last_changed": null}

key(n, active, rotated, used) := {"n": n, "active": active, "last_rotated": rotated, "last_used_date": used}

inp(rows) := object.union(base, {"credential_report": {"users": {r.arn: r | some r in rows}}})

by_detail(rs) := {sprintf("%s/%s", [r.resource.name, r.detail]): r.status | some r in rs}

test_used_recently_and_stale if {
	rows := [
		row("alice", pw("2026-11-20T00:00:00Z", "2026-01-01T00:00:00Z"), [key(1, true, "2026-01-01T00:00:00Z", "2026-08-01T00:00:00Z"), key(2, false, null, null)]),
		row("bob", pw("2026-09-01T00:00:00Z", "2026-01-01T00:00:00Z"), []),
	]
	rs := ld_key_05.results with input as inp(rows)
	by_detail(rs) == {"alice/password": "PASS", "alice/access_key_1": "FAIL", "bob/password": "FAIL"}
	some r in rs
	r.detail == "access_key_1"
	contains(r.message, "2026-08-01")
}

test_never_used if {
	rows := [
		row("carol", pw(null, "2026-11-01T00:00:00Z"), [key(1, true, "2026-06-01T00:00:00Z", null)]),
		row("dan", pw(null, "2026-01-01T00:00:00Z"), []),
	]
	rs := ld_key_05.results with input as inp(rows)
	by_detail(rs) == {"carol/password": "PASS", "carol/access_key_1": "FAIL", "dan/password": "FAIL"}
}

test_password_age_falls_back_to_user_creation if {
	r0 := object.union(row("erin", pw(null, null), []), {"user_creation_time": "2026-11-20T00:00:00Z"})
	rs := ld_key_05.results with input as inp([r0])
	by_detail(rs) == {"erin/password": "PASS"}
}

test_no_dates_not_assessed if {
	r0 := object.union(row("fay", pw(null, null), []), {"user_creation_time": null})
	rs := ld_key_05.results with input as inp([r0])
	by_detail(rs) == {"fay/password": "NOT_ASSESSED"}
}

test_no_credentials_passes_on_account if {
	rs := ld_key_05.results with input as inp([row("gil", no_pw, [key(1, false, null, null)])])
	count(rs) == 1
	some r in rs
	r.resource.type == "AWS::Account"
	r.status == "PASS"
}

dave_unknown := {"arn": "arn:aws:iam::111122223333:user/dave", "type": "AWS::IAM::User", "name": "dave", "reason": "dave is not in the credential report: it was generated 3h0m0s before collection"}

# A user the credential report does not list is NOT_ASSESSED, with the
# report's age, and the account-wide all-clear is withheld.
test_user_missing_from_report_not_assessed if {
	rs := ld_key_05.results with input as object.union(inp([]), {"credential_unknown": {dave_unknown.arn: dave_unknown}})
	some r in rs
	r.resource.arn == dave_unknown.arn
	r.status == "NOT_ASSESSED"
	contains(r.message, "3h0m0s before collection")
	every x in rs {
		x.resource.type != "AWS::Account"
	}
}

test_security_hub_default_90 if {
	rows := [
		row("alice", pw("2026-09-01T00:00:00Z", "2026-01-01T00:00:00Z"), [key(1, true, "2026-01-01T00:00:00Z", "2026-08-01T00:00:00Z")]),
	]
	rs := ld_key_05.results with input as object.union(inp(rows), {"params": {"credential_unused_days_sh": 90}})
	by_detail(rs) == {"alice/password": "PASS", "alice/access_key_1": "FAIL"}
}
