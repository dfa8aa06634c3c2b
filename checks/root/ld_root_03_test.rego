package lockdown.checks.ld_root_03_test

import data.lockdown.checks.ld_root_03

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"sources": {"credential_report": {"status": "ok"}, "virtual_mfa_devices": {"status": "ok"}},
}

root(kind, serials) := {"mfa_active": kind != "none", "root_mfa_type": kind, "virtual_mfa_serials": serials, "has_credentials": true}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_hardware_passes if {
	r := only(ld_root_03.results) with input as object.union(base, {"root": root("hardware", [])})
	r.status == "PASS"
}

test_virtual_fails if {
	r := only(ld_root_03.results) with input as object.union(base, {"root": root("virtual", ["arn:aws:iam::111122223333:mfa/root-account-mfa-device"])})
	r.status == "FAIL"
	contains(r.message, "root-account-mfa-device")
}

test_no_mfa_fails if {
	r := only(ld_root_03.results) with input as object.union(base, {"root": root("none", [])})
	r.status == "FAIL"
	contains(r.message, "no MFA device")
}

test_no_root_credentials_passes if {
	inp := object.union(base, {"root": {"mfa_active": false, "root_mfa_type": "none", "virtual_mfa_serials": [], "has_credentials": false}})
	r := only(ld_root_03.results) with input as inp
	r.status == "PASS"
}

test_unknown_type_not_assessed if {
	r := only(ld_root_03.results) with input as object.union(base, {"root": {"mfa_active": true, "root_mfa_type": null, "virtual_mfa_serials": null}})
	r.status == "NOT_ASSESSED"
}

test_missing_root_row_not_assessed if {
	r := only(ld_root_03.results) with input as object.union(base, {"root": null})
	r.status == "NOT_ASSESSED"
}

# An unreadable root row is NOT_ASSESSED, naming the problem.
test_unreadable_root_row if {
	rs := ld_root_03.results with input as {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "root": null, "root_problem": "credential report line 2 (<root_account>) column mfa_active: \"maybe\" is not a boolean", "params": {"root_recent_days": 90}, "sources": {}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "cannot be read")
	contains(r.message, "mfa_active")
}
