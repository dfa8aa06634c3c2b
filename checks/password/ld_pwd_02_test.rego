package lockdown.checks.ld_pwd_02_test

import data.lockdown.checks.ld_pwd_02

base := {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "params": {"cis_password_min_length": 14}}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_14_passes if {
	r := only(ld_pwd_02.results) with input as object.union(base, {"password_policy": {"minimum_password_length": 14}})
	r.status == "PASS"
}

test_13_fails if {
	r := only(ld_pwd_02.results) with input as object.union(base, {"password_policy": {"minimum_password_length": 13}})
	r.status == "FAIL"
	contains(r.message, "is 13; it should be at least 14")
}

test_unset_fails if {
	r := only(ld_pwd_02.results) with input as object.union(base, {"password_policy": {"minimum_password_length": null}})
	r.status == "FAIL"
	contains(r.message, "not set")
}

test_no_policy_fails if {
	r := only(ld_pwd_02.results) with input as object.union(base, {"password_policy": null})
	r.status == "FAIL"
}

test_threshold_is_a_param if {
	inp := object.union(base, {"password_policy": {"minimum_password_length": 12}, "params": {"cis_password_min_length": 12}})
	r := only(ld_pwd_02.results) with input as inp
	r.status == "PASS"
}
