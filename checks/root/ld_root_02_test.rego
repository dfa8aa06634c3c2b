package lockdown.checks.ld_root_02_test

import data.lockdown.checks.ld_root_02

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"sources": {"credential_report": {"status": "ok"}, "account_summary": {"status": "ok"}},
	"account_summary": {"AccountAccessKeysPresent": 0},
}

root(k1, k2) := {"access_keys": [{"n": 1, "active": k1}, {"n": 2, "active": k2}]}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_pass_without_keys if {
	r := only(ld_root_02.results) with input as object.union(base, {"root": root(false, false)})
	r.status == "PASS"
}

test_fail_with_key_2 if {
	r := only(ld_root_02.results) with input as object.union(base, {"root": root(false, true)})
	r.status == "FAIL"
	contains(r.message, "active access key 2")
}

test_fail_with_both_keys if {
	r := only(ld_root_02.results) with input as object.union(base, {"root": root(true, true)})
	contains(r.message, "access key 1 and access key 2")
}

test_inactive_key_from_summary_fails if {
	inp := object.union(base, {"root": root(false, false), "account_summary": {"AccountAccessKeysPresent": 1}})
	r := only(ld_root_02.results) with input as inp
	r.status == "FAIL"
	contains(r.message, "inactive")
}

test_summary_from_failed_source_ignored if {
	inp := object.union(base, {
		"root": root(false, false),
		"account_summary": {"AccountAccessKeysPresent": 1},
		"sources": {"credential_report": {"status": "ok"}, "account_summary": {"status": "error"}},
	})
	r := only(ld_root_02.results) with input as inp
	r.status == "PASS"
}

test_missing_root_row_not_assessed if {
	r := only(ld_root_02.results) with input as object.union(base, {"root": null})
	r.status == "NOT_ASSESSED"
}

# An unreadable root row is NOT_ASSESSED, naming the problem.
test_unreadable_root_row if {
	rs := ld_root_02.results with input as {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "root": null, "root_problem": "credential report line 2 (<root_account>) column mfa_active: \"maybe\" is not a boolean", "params": {"root_recent_days": 90}, "sources": {}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "cannot be read")
	contains(r.message, "mfa_active")
}
