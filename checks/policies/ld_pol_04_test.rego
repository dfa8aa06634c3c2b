package lockdown.checks.ld_pol_04_test

import data.lockdown.checks.ld_pol_04

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

shell := "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"

inp := {
	"account": acct,
	"users": {
		"arn:aws:iam::111122223333:user/a": {"arn": "arn:aws:iam::111122223333:user/a", "name": "a", "attached_policies": [shell]},
		"arn:aws:iam::111122223333:user/b": {"arn": "arn:aws:iam::111122223333:user/b", "name": "b", "attached_policies": []},
	},
	"groups": {"arn:aws:iam::111122223333:group/G": {"arn": "arn:aws:iam::111122223333:group/G", "name": "G", "attached_policies": ["arn:aws-us-gov:iam::aws:policy/AWSCloudShellFullAccess"]}},
	"roles": {"arn:aws:iam::111122223333:role/R": {"arn": "arn:aws:iam::111122223333:role/R", "name": "R", "attached_policies": ["arn:aws:iam::111122223333:policy/AWSCloudShellFullAccess"]}},
	"policy_unknown": {},
}

status(rs) := {r.resource.name: r.status | some r in rs}

test_each_identity if {
	rs := ld_pol_04.results with input as inp
	status(rs) == {"a": "FAIL", "b": "PASS", "G": "FAIL", "R": "PASS"}
}

test_undescribed_not_assessed if {
	u := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "not listed"}
	rs := ld_pol_04.results with input as object.union(inp, {"policy_unknown": {u.arn: u}})
	status(rs).ghost == "NOT_ASSESSED"
}

test_empty if {
	rs := ld_pol_04.results with input as {"account": acct, "users": {}, "groups": {}, "roles": {}, "policy_unknown": {}}
	status(rs) == {"111122223333": "PASS"}
}
