package lockdown.checks.ld_key_03_test

import data.lockdown.checks.ld_key_03

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

row(name, a1, a2) := {"user": name, "arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]), "access_keys": [{"n": 1, "active": a1}, {"n": 2, "active": a2}]}

inp(rows) := {"account": acct, "credential_report": {"users": {r.arn: r | some r in rows}}}

test_statuses if {
	rs := ld_key_03.results with input as inp([row("alice", true, false), row("bob", true, true), row("carol", false, false)])
	{r.resource.name: r.status | some r in rs} == {"alice": "PASS", "bob": "FAIL", "carol": "PASS"}
	some r in rs
	r.status == "FAIL"
	contains(r.message, "2 active access keys")
}

test_no_users if {
	rs := ld_key_03.results with input as inp([])
	count(rs) == 1
	some r in rs
	r.resource.type == "AWS::Account"
}

dave_unknown := {"arn": "arn:aws:iam::111122223333:user/dave", "type": "AWS::IAM::User", "name": "dave", "reason": "dave is not in the credential report: it was generated 3h0m0s before collection"}

# A user the credential report does not list is NOT_ASSESSED, with the
# report's age, and the account-wide all-clear is withheld.
test_user_missing_from_report_not_assessed if {
	rs := ld_key_03.results with input as object.union(inp([]), {"credential_unknown": {dave_unknown.arn: dave_unknown}})
	some r in rs
	r.resource.arn == dave_unknown.arn
	r.status == "NOT_ASSESSED"
	contains(r.message, "3h0m0s before collection")
	every x in rs {
		x.resource.type != "AWS::Account"
	}
}
