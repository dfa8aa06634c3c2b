package lockdown.checks.ld_mfa_04_test

import data.lockdown.checks.ld_mfa_04

base := {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}, "credential_unknown": {}}

row(name, pw, mfa) := {"user": name, "arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]), "password_enabled": pw, "mfa_active": mfa}

inp(rows) := object.union(base, {"credential_report": {"users": {r.arn: r | some r in rows}}})

status(rs) := {r.resource.name: r.status | some r in rs}

test_every_user_judged if {
	rs := ld_mfa_04.results with input as inp([row("alice", true, true), row("bot", false, false), row("carol", true, false), row("dora", false, true)])
	status(rs) == {"alice": "PASS", "bot": "FAIL", "carol": "FAIL", "dora": "PASS"}
}

test_unknown_not_assessed if {
	u := {"arn": "arn:aws:iam::111122223333:user/zed", "type": "AWS::IAM::User", "name": "zed", "reason": "row 3 unreadable"}
	rs := ld_mfa_04.results with input as object.union(inp([row("alice", true, true)]), {"credential_unknown": {u.arn: u}})
	status(rs) == {"alice": "PASS", "zed": "NOT_ASSESSED"}
}

test_no_users if {
	rs := ld_mfa_04.results with input as inp([])
	count(rs) == 1
	some r in rs
	r.resource.type == "AWS::Account"
	r.status == "PASS"
	count(ld_mfa_04.results) == 1 with input as object.union(inp([]), {"credential_unknown": {"x": {"arn": "x", "type": "AWS::IAM::User", "name": "x", "reason": "r"}}})
}
