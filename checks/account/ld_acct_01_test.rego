package lockdown.checks.ld_acct_01_test

import data.lockdown.checks.ld_acct_01

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

inp(c) := {"account": acct, "security_contact": c}

one(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_registered if {
	r := one(ld_acct_01.results) with input as inp({"registered": true, "name": "Security", "title": "", "email": "sec@example.com"})
	r.status == "PASS"
	contains(r.message, "sec@example.com")
	r.resource.arn == acct.arn
}

test_not_registered if {
	r := one(ld_acct_01.results) with input as inp({"registered": false, "name": "", "title": "", "email": ""})
	r.status == "FAIL"
	contains(r.message, "No security alternate contact")
}

test_no_email if {
	r := one(ld_acct_01.results) with input as inp({"registered": true, "name": "Sec", "title": "", "email": ""})
	r.status == "FAIL"
	contains(r.message, "no email address")
}

test_source_not_usable if {
	r := one(ld_acct_01.results) with input as inp(null)
	r.status == "NOT_ASSESSED"
}
