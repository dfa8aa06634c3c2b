package lockdown.lib.result_test

import data.lockdown.lib.result

acct := {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}}

test_constructors if {
	r := result.pass(result.account, "fine") with input as acct
	r == {"status": "PASS", "resource": {"arn": "arn:aws:iam::111122223333:root", "type": "AWS::Account", "name": "111122223333"}, "message": "fine"}
	result.fail({"arn": "a"}, "m").status == "FAIL"
	result.not_assessed({"arn": "a"}, "m").status == "NOT_ASSESSED"
}

test_detail if {
	r := result.fail_detail(result.user("arn:aws:iam::1:user/a", "a"), "access_key_2", "old")
	r.detail == "access_key_2"
	r.resource.type == "AWS::IAM::User"
	r.status == "FAIL"
	result.pass_detail({}, "d", "m").detail == "d"
	result.not_assessed_detail({}, "d", "m").status == "NOT_ASSESSED"
}

test_cli_resources if {
	result.cli_profile("admin").arn == "awscli:profile/admin"
	result.cli_file("credentials", "/home/u/.aws/credentials").name == "/home/u/.aws/credentials"
}
