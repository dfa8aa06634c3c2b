package lockdown.checks.ld_pwd_01_test

import data.lockdown.checks.ld_pwd_01

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"params": {"password_min_length": 14, "password_reuse_prevention": 24, "password_max_age_days": 0},
}

strong := {
	"minimum_password_length": 14,
	"require_symbols": true,
	"require_numbers": true,
	"require_uppercase_characters": true,
	"require_lowercase_characters": true,
	"allow_users_to_change_password": true,
	"expire_passwords": false,
	"max_password_age": null,
	"password_reuse_prevention": 24,
}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_strong_passes if {
	r := only(ld_pwd_01.results) with input as object.union(base, {"password_policy": strong})
	r.status == "PASS"
}

test_no_policy_fails if {
	r := only(ld_pwd_01.results) with input as object.union(base, {"password_policy": null})
	r.status == "FAIL"
	contains(r.message, "No account password policy")
}

test_short_and_no_reuse_fails if {
	p := object.union(strong, {"minimum_password_length": 8, "password_reuse_prevention": null})
	r := only(ld_pwd_01.results) with input as object.union(base, {"password_policy": p})
	r.status == "FAIL"
	contains(r.message, "minimum length is 8 (want at least 14)")
	contains(r.message, "password reuse prevention is not set (want at least 24)")
}

test_missing_character_class_fails if {
	r := only(ld_pwd_01.results) with input as object.union(base, {"password_policy": object.union(strong, {"require_symbols": false})})
	r.status == "FAIL"
	contains(r.message, "symbols are not required")
}

test_change_password_required if {
	r := only(ld_pwd_01.results) with input as object.union(base, {"password_policy": object.union(strong, {"allow_users_to_change_password": false})})
	r.status == "FAIL"
}

test_max_age_only_when_param_set if {
	inp := object.union(base, {"password_policy": strong, "params": {"password_min_length": 14, "password_reuse_prevention": 24, "password_max_age_days": 90}})
	r := only(ld_pwd_01.results) with input as inp
	r.status == "FAIL"
	contains(r.message, "do not expire within 90 days")
	p := object.union(strong, {"expire_passwords": true, "max_password_age": 60})
	r2 := only(ld_pwd_01.results) with input as object.union(inp, {"password_policy": p})
	r2.status == "PASS"
}

test_thresholds_are_params if {
	inp := object.union(base, {"password_policy": object.union(strong, {"minimum_password_length": 12}), "params": {"password_min_length": 12, "password_reuse_prevention": 24, "password_max_age_days": 0}})
	r := only(ld_pwd_01.results) with input as inp
	r.status == "PASS"
}
