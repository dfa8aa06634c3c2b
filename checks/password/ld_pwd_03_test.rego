package lockdown.checks.ld_pwd_03_test

import data.lockdown.checks.ld_pwd_03

base := {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "params": {"cis_password_reuse_prevention": 24}}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_24_passes if {
	r := only(ld_pwd_03.results) with input as object.union(base, {"password_policy": {"password_reuse_prevention": 24}})
	r.status == "PASS"
}

test_5_fails if {
	r := only(ld_pwd_03.results) with input as object.union(base, {"password_policy": {"password_reuse_prevention": 5}})
	r.status == "FAIL"
	contains(r.message, "is 5")
}

test_unset_fails if {
	r := only(ld_pwd_03.results) with input as object.union(base, {"password_policy": {"password_reuse_prevention": null}})
	r.status == "FAIL"
	contains(r.message, "not set")
}

test_no_policy_fails if {
	r := only(ld_pwd_03.results) with input as object.union(base, {"password_policy": null})
	r.status == "FAIL"
}
