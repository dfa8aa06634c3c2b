package lockdown.lib.unknown_test

import data.lockdown.lib.unknown

dave := {"arn": "arn:aws:iam::1:user/dave", "type": "AWS::IAM::User", "name": "dave", "reason": "dave is not in the credential report"}

role := {"arn": "arn:aws:iam::1:role/R", "type": "AWS::IAM::Role", "name": "R", "reason": "bad policy"}

test_credential if {
	rs := unknown.credential("Console MFA") with input as {"credential_unknown": {dave.arn: dave}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	r.resource == {"arn": dave.arn, "type": "AWS::IAM::User", "name": "dave"}
	r.message == "Console MFA cannot be checked for dave: dave is not in the credential report."
	unknown.any_credential with input as {"credential_unknown": {dave.arn: dave}}
	not unknown.any_credential with input as {"credential_unknown": {}}
}

test_policy_by_type if {
	inp := {"policy_unknown": {dave.arn: dave, role.arn: role}}
	count(unknown.policy(unknown.users, "x")) == 1 with input as inp
	count(unknown.policy(unknown.principals, "x")) == 2 with input as inp
	unknown.any_policy(unknown.roles) with input as inp
	not unknown.any_policy(unknown.groups) with input as inp
}

test_root_message if {
	unknown.root_message("the root user's MFA") == "The credential report has no <root_account> row, so the root user's MFA cannot be checked." with input as {}
	m := unknown.root_message("the root user's MFA") with input as {"root_problem": "mfa_active: \"maybe\" is not a boolean"}
	contains(m, "cannot be read (mfa_active")
}
