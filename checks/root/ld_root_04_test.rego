package lockdown.checks.ld_root_04_test

import data.lockdown.checks.ld_root_04

# collected 2026-11-27T07:00:00Z
base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"now_epoch": 1795762800,
	"params": {"root_recent_days": 90},
}

root(pw, k1) := {
	"password_last_used": pw,
	"access_keys": [{"n": 1, "last_used_date": k1}, {"n": 2, "last_used_date": null}],
	"last_used": max({t | some t in [pw, k1]; t != null}),
}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_recent_password_fails_naming_date if {
	r := only(ld_root_04.results) with input as object.union(base, {"root": root("2026-11-01T10:00:00Z", null)})
	r.status == "FAIL"
	contains(r.message, "password on 2026-11-01")
}

test_recent_key_fails if {
	r := only(ld_root_04.results) with input as object.union(base, {"root": root("2020-01-01T00:00:00Z", "2026-09-01T00:00:00Z")})
	r.status == "FAIL"
	contains(r.message, "access key 1 on 2026-09-01")
	not contains(r.message, "password")
}

test_old_use_passes if {
	r := only(ld_root_04.results) with input as object.union(base, {"root": root("2026-08-01T00:00:00Z", null)})
	r.status == "PASS"
	contains(r.message, "2026-08-01")
}

test_never_used_passes if {
	inp := object.union(base, {"root": {"password_last_used": null, "password_last_used_info": "no_information", "access_keys": [], "last_used": null}})
	r := only(ld_root_04.results) with input as inp
	r.status == "PASS"
	contains(r.message, "no recorded use")
}

test_param_changes_window if {
	inp := object.union(base, {"root": root("2026-11-01T10:00:00Z", null), "params": {"root_recent_days": 7}})
	r := only(ld_root_04.results) with input as inp
	r.status == "PASS"
}

test_missing_root_row_not_assessed if {
	r := only(ld_root_04.results) with input as object.union(base, {"root": null})
	r.status == "NOT_ASSESSED"
}

# An unreadable root row is NOT_ASSESSED, naming the problem.
test_unreadable_root_row if {
	rs := ld_root_04.results with input as {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "root": null, "root_problem": "credential report line 2 (<root_account>) column mfa_active: \"maybe\" is not a boolean", "params": {"root_recent_days": 90}, "sources": {}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "cannot be read")
	contains(r.message, "mfa_active")
}
