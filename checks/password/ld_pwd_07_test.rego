package lockdown.checks.ld_pwd_07_test

import data.lockdown.checks.ld_pwd_07

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_required_passes if {
	r := only(ld_pwd_07.results) with input as {"account": acct, "password_policy": {"require_lowercase_characters": true}}
	r.status == "PASS"
	r.resource.type == "AWS::Account"
}

test_not_required_fails if {
	r := only(ld_pwd_07.results) with input as {"account": acct, "password_policy": {"require_lowercase_characters": false}}
	r.status == "FAIL"
	contains(r.message, "does not require")
}

test_no_policy_fails if {
	r := only(ld_pwd_07.results) with input as {"account": acct, "password_policy": null}
	r.status == "FAIL"
	contains(r.message, "No account password policy")
}
