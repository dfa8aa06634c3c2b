package lockdown.checks.ld_pe_01_test

import data.lockdown.checks.ld_pe_01

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root", "partition": "aws", "aliases": []}

ci := "arn:aws:iam::111122223333:user/ci-user"

deploy := "arn:aws:iam::111122223333:role/deploy-admin"

step(from, to, id, actions) := {"from": from, "to": to, "method_id": id, "actions": [
{"action": a, "resource": to, "policy": "ci", "statement": "#1"} |
	some a in actions
]}

lambda_path(ctx, possible) := {
	"method_ids": ["lambda-001"],
	"steps": [step(ci, deploy, "lambda-001", ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])],
	"context": ctx, "requires_mfa": ctx == "mfa_session", "target": deploy,
	"possible": possible, "unknown": "",
	"summary": "ci-user -> iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction (lambda-001) -> role/deploy-admin, without MFA",
}

verdict(typ, arn, name, admin, paths) := {"arn": arn, "name": name, "type": typ, "admin": admin, "admin_context": "access_key", "paths": paths}

inp(vs) := {"account": acct, "escalation": {v.arn: v | some v in vs}, "policy_unknown": {}}

test_path_fails_with_the_shortest_path_in_the_message if {
	v := verdict("user", ci, "ci-user", false, [lambda_path("access_key", false), lambda_path("mfa_session", false)])
	rs := ld_pe_01.results with input as inp([v])
	count(rs) == 1
	some r in rs
	r.status == "FAIL"
	r.resource.type == "AWS::IAM::User"
	contains(r.message, "ci-user can escalate to administrator: ci-user -> iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction (lambda-001) -> role/deploy-admin, without MFA.")
	contains(r.message, "(1 more path in the evidence.)")
	count(r.evidence.paths) == 2
	"iam:PassRole" in r.evidence.actions
	deploy in r.evidence.principals
	r.evidence.contexts == {"access_key", "mfa_session"}
}

test_already_admin_passes_saying_so if {
	v := verdict("group", "arn:aws:iam::111122223333:group/Administrators", "Administrators", true, [])
	some r in ld_pe_01.results with input as inp([v])
	r.status == "PASS"
	r.resource.type == "AWS::IAM::Group"
	contains(r.message, "is already administrator-equivalent (with long-term access keys)")
}

test_possible_only_is_not_assessed_naming_the_unknown if {
	p := object.union(lambda_path("session_no_mfa", true), {"unknown": "CodeBuild projects and their service roles (not collected)"})
	v := verdict("role", "arn:aws:iam::111122223333:role/builder", "builder", false, [p])
	some r in ld_pe_01.results with input as inp([v])
	r.status == "NOT_ASSESSED"
	r.resource.type == "AWS::IAM::Role"
	contains(r.message, "CodeBuild projects and their service roles (not collected)")
}

test_definite_path_wins_over_possible if {
	p := object.union(lambda_path("access_key", true), {"unknown": "Glue jobs (not collected)"})
	v := verdict("user", ci, "ci-user", false, [lambda_path("session_no_mfa", false), p])
	some r in ld_pe_01.results with input as inp([v])
	r.status == "FAIL"
}

test_no_path_passes if {
	v := verdict("user", ci, "ci-user", false, [])
	some r in ld_pe_01.results with input as inp([v])
	r.status == "PASS"
	contains(r.message, "ci-user has no path to administrator-equivalent power.")
}

test_unknown_policies_not_assessed_and_no_account_pass if {
	ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "a policy does not parse"}
	rs := ld_pe_01.results with input as {"account": acct, "escalation": {}, "policy_unknown": {ghost.arn: ghost}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "a policy does not parse")
}

test_empty_account_is_assessed if {
	rs := ld_pe_01.results with input as inp([])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.type == "AWS::Account"
}
