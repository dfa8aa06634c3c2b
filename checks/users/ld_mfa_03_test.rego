package lockdown.checks.ld_mfa_03_test

import data.lockdown.checks.ld_mfa_03

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

row(name, password, mfa) := {"user": name, "arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]), "password_enabled": password, "mfa_active": mfa}

inp(rows) := {"account": acct, "credential_report": {"users": {r.arn: r | some r in rows}}}

status_of(rs, name) := {r.status | some r in rs; r.resource.name == name}

test_statuses if {
	rs := ld_mfa_03.results with input as inp([row("alice", true, true), row("bob", true, false), row("carol", false, false)])
	count(rs) == 2
	status_of(rs, "alice") == {"PASS"}
	status_of(rs, "bob") == {"FAIL"}
	status_of(rs, "carol") == set()
	some r in rs
	r.resource.name == "bob"
	r.resource.type == "AWS::IAM::User"
	contains(r.message, "no MFA device")
}

test_no_console_users_passes_on_account if {
	rs := ld_mfa_03.results with input as inp([row("carol", false, false)])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.type == "AWS::Account"
}

dave_unknown := {"arn": "arn:aws:iam::111122223333:user/dave", "type": "AWS::IAM::User", "name": "dave", "reason": "dave is not in the credential report: it was generated 3h0m0s before collection"}

# A user the credential report does not list is NOT_ASSESSED, with the
# report's age, and the account-wide all-clear is withheld.
test_user_missing_from_report_not_assessed if {
	rs := ld_mfa_03.results with input as object.union(inp([]), {"credential_unknown": {dave_unknown.arn: dave_unknown}})
	some r in rs
	r.resource.arn == dave_unknown.arn
	r.status == "NOT_ASSESSED"
	contains(r.message, "3h0m0s before collection")
	every x in rs {
		x.resource.type != "AWS::Account"
	}
}
