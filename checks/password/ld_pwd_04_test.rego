package lockdown.checks.ld_pwd_04_test

import data.lockdown.checks.ld_pwd_04

params := {
	"sh_require_uppercase": true, "sh_require_lowercase": true, "sh_require_symbols": true, "sh_require_numbers": true,
	"sh_password_min_length": 8, "sh_password_reuse_prevention": 0, "sh_password_max_age_days": 0,
}

base := {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "params": params}

strong := {
	"minimum_password_length": 8, "require_symbols": true, "require_numbers": true,
	"require_uppercase_characters": true, "require_lowercase_characters": true,
	"expire_passwords": false, "max_password_age": null, "password_reuse_prevention": null,
}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_defaults_pass_at_8 if {
	r := only(ld_pwd_04.results) with input as object.union(base, {"password_policy": strong})
	r.status == "PASS"
}

test_short_and_no_symbols_fail if {
	pol := object.union(strong, {"minimum_password_length": 7, "require_symbols": false})
	r := only(ld_pwd_04.results) with input as object.union(base, {"password_policy": pol})
	r.status == "FAIL"
	contains(r.message, "minimum length is 7 (want at least 8)")
	contains(r.message, "symbols are not required")
}

test_dropped_requirement if {
	inp := object.union(base, {"password_policy": object.union(strong, {"require_symbols": false}), "params": object.union(params, {"sh_require_symbols": false})})
	r := only(ld_pwd_04.results) with input as inp
	r.status == "PASS"
}

test_optional_reuse_and_age if {
	inp := object.union(base, {"password_policy": strong, "params": object.union(params, {"sh_password_reuse_prevention": 5, "sh_password_max_age_days": 90})})
	r := only(ld_pwd_04.results) with input as inp
	r.status == "FAIL"
	contains(r.message, "password reuse prevention is not set (want at least 5)")
	contains(r.message, "do not expire within 90 days")
}

test_no_policy_fails if {
	r := only(ld_pwd_04.results) with input as object.union(base, {"password_policy": null})
	r.status == "FAIL"
}
