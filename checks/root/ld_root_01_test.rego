package lockdown.checks.ld_root_01_test

import data.lockdown.checks.ld_root_01

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"sources": {"credential_report": {"status": "ok"}},
	"account_summary": null,
}

root(mfa, password) := {"mfa_active": mfa, "password_enabled": password, "has_credentials": true}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_pass_with_mfa if {
	r := only(ld_root_01.results) with input as object.union(base, {"root": root(true, null)})
	r.status == "PASS"
	r.resource.arn == "arn:aws:iam::111122223333:root"
	r.resource.type == "AWS::Account"
}

test_fail_without_mfa if {
	r := only(ld_root_01.results) with input as object.union(base, {"root": root(false, null)})
	r.status == "FAIL"
	contains(r.message, "no MFA device")
}

test_summary_contradiction_fails if {
	inp := object.union(base, {
		"root": root(true, null),
		"account_summary": {"AccountMFAEnabled": 0},
		"sources": {"credential_report": {"status": "ok"}, "account_summary": {"status": "ok"}},
	})
	r := only(ld_root_01.results) with input as inp
	r.status == "FAIL"
	contains(r.message, "AccountMFAEnabled=0")
}

test_summary_ignored_when_source_failed if {
	inp := object.union(base, {
		"root": root(true, null),
		"account_summary": {"AccountMFAEnabled": 0},
		"sources": {"credential_report": {"status": "ok"}, "account_summary": {"status": "error"}},
	})
	r := only(ld_root_01.results) with input as inp
	r.status == "PASS"
}

test_summary_cannot_turn_fail_into_pass if {
	inp := object.union(base, {
		"root": root(false, null),
		"account_summary": {"AccountMFAEnabled": 1},
		"sources": {"credential_report": {"status": "ok"}, "account_summary": {"status": "ok"}},
	})
	r := only(ld_root_01.results) with input as inp
	r.status == "FAIL"
	contains(r.message, "regenerate")
}

test_no_root_credentials_passes if {
	inp := object.union(base, {"root": {"mfa_active": false, "password_enabled": false, "has_credentials": false}})
	r := only(ld_root_01.results) with input as inp
	r.status == "PASS"
}

test_missing_root_row_not_assessed if {
	r := only(ld_root_01.results) with input as object.union(base, {"root": null})
	r.status == "NOT_ASSESSED"
}

# An unreadable root row is NOT_ASSESSED, naming the problem.
test_unreadable_root_row if {
	rs := ld_root_01.results with input as {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "root": null, "root_problem": "credential report line 2 (<root_account>) column mfa_active: \"maybe\" is not a boolean", "params": {"root_recent_days": 90}, "sources": {}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "cannot be read")
	contains(r.message, "mfa_active")
}
