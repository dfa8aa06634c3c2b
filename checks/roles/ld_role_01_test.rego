package lockdown.checks.ld_role_01_test

import data.lockdown.checks.ld_role_01

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

role(name, ps) := {"arn": sprintf("arn:aws:iam::111122223333:role/%s", [name]), "name": name, "attached_policies": ps}

inp(roles) := {"account": acct, "roles": {r.arn: r | some r in roles}, "users": {}, "groups": {}, "policy_unknown": {}}

status(rs) := {r.resource.name: r.status | some r in rs}

test_support_role_passes if {
	rs := ld_role_01.results with input as inp([role("Support", ["arn:aws:iam::aws:policy/AWSSupportAccess"]), role("Other", [])])
	status(rs) == {"Support": "PASS"}
}

test_gov_partition if {
	rs := ld_role_01.results with input as inp([role("Support", ["arn:aws-us-gov:iam::aws:policy/AWSSupportAccess"])])
	status(rs) == {"Support": "PASS"}
}

test_none_fails if {
	rs := ld_role_01.results with input as inp([role("Other", ["arn:aws:iam::111122223333:policy/AWSSupportAccess"]), role("AWSServiceRoleForSupport", ["arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"])])
	status(rs) == {"111122223333": "FAIL"}
}

test_user_attachment_does_not_count if {
	u := {"arn": "arn:aws:iam::111122223333:user/u", "name": "u", "attached_policies": ["arn:aws:iam::aws:policy/AWSSupportAccess"]}
	rs := ld_role_01.results with input as object.union(inp([]), {"users": {u.arn: u}})
	status(rs) == {"111122223333": "FAIL"}
}

test_undescribed_role_not_assessed if {
	r := {"arn": "arn:aws:iam::111122223333:role/ghost", "type": "AWS::IAM::Role", "name": "ghost", "reason": "not listed"}
	rs := ld_role_01.results with input as object.union(inp([]), {"policy_unknown": {r.arn: r}})
	status(rs) == {"111122223333": "NOT_ASSESSED"}
}
