package lockdown.checks.ld_pwd_05_test

import data.lockdown.checks.ld_pwd_05

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"params": {"pci_password_min_length": 7, "pci_password_reuse_prevention": 4, "pci_password_max_age_days": 90},
}

pci := {
	"minimum_password_length": 7, "require_symbols": false, "require_numbers": true,
	"require_uppercase_characters": true, "require_lowercase_characters": true,
	"expire_passwords": true, "max_password_age": 90, "password_reuse_prevention": 4,
}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_pci_minimum_passes_without_symbols if {
	r := only(ld_pwd_05.results) with input as object.union(base, {"password_policy": pci})
	r.status == "PASS"
}

test_no_expiry_fails if {
	pol := object.union(pci, {"expire_passwords": false, "max_password_age": null})
	r := only(ld_pwd_05.results) with input as object.union(base, {"password_policy": pol})
	r.status == "FAIL"
	contains(r.message, "do not expire within 90 days")
}

test_every_problem_named if {
	pol := object.union(pci, {"minimum_password_length": 6, "password_reuse_prevention": null, "require_numbers": false})
	r := only(ld_pwd_05.results) with input as object.union(base, {"password_policy": pol})
	r.status == "FAIL"
	contains(r.message, "minimum length is 6 (want at least 7)")
	contains(r.message, "password reuse prevention is not set (want at least 4)")
	contains(r.message, "numbers are not required")
}

test_no_policy_fails if {
	r := only(ld_pwd_05.results) with input as object.union(base, {"password_policy": null})
	r.status == "FAIL"
}
