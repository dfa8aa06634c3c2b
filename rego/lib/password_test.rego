package lockdown.lib.password_test

import data.lockdown.lib.password

test_number if {
	password.number(14) == "14"
	password.number(null) == "not set"
}

test_at_least if {
	password.at_least(14, 14)
	not password.at_least(13, 14)
	not password.at_least(null, 1)
}

test_no_policy_is_a_fail if {
	r := password.no_policy("x") with input as {"account": {"id": "1", "arn": "arn:aws:iam::1:root"}}
	r.status == "FAIL"
	r.resource.type == "AWS::Account"
	contains(r.message, "do not require x")
}
