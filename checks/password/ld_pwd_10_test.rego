package lockdown.checks.ld_pwd_10_test

import data.lockdown.checks.ld_pwd_10

base := {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "params": {"password_expiry_max_days": 90}}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_90_passes if {
	r := only(ld_pwd_10.results) with input as object.union(base, {"password_policy": {"expire_passwords": true, "max_password_age": 90}})
	r.status == "PASS"
}

test_180_fails if {
	r := only(ld_pwd_10.results) with input as object.union(base, {"password_policy": {"expire_passwords": true, "max_password_age": 180}})
	r.status == "FAIL"
	contains(r.message, "expire after 180 days")
}

test_no_expiry_fails if {
	r := only(ld_pwd_10.results) with input as object.union(base, {"password_policy": {"expire_passwords": false, "max_password_age": null}})
	r.status == "FAIL"
	contains(r.message, "never expire")
}

test_no_policy_fails if {
	r := only(ld_pwd_10.results) with input as object.union(base, {"password_policy": null})
	r.status == "FAIL"
	contains(r.message, "No account password policy")
}
