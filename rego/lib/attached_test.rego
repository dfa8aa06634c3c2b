package lockdown.lib.attached_test

import data.lockdown.lib.attached

inp := {
	"users": {"arn:aws:iam::1:user/u": {"arn": "arn:aws:iam::1:user/u", "name": "u", "attached_policies": ["arn:aws:iam::aws:policy/P"], "permissions_boundary": "arn:aws:iam::1:policy/B"}},
	"groups": {"arn:aws:iam::1:group/g": {"arn": "arn:aws:iam::1:group/g", "name": "g", "attached_policies": ["arn:aws:iam::aws:policy/P"]}},
	"roles": {"arn:aws:iam::1:role/r": {"arn": "arn:aws:iam::1:role/r", "name": "r", "attached_policies": [], "permissions_boundary": null}},
	"policy_unknown": {
		"arn:aws:iam::1:user/ghost": {"arn": "arn:aws:iam::1:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "not listed"},
		"arn:aws:iam::1:role/r": {"arn": "arn:aws:iam::1:role/r", "type": "AWS::IAM::Role", "name": "r", "reason": "bad inline policy"},
	},
}

test_holders if {
	attached.holders["arn:aws:iam::aws:policy/P"] == {"arn:aws:iam::1:user/u", "arn:aws:iam::1:group/g"} with input as inp
	attached.boundaries == {"arn:aws:iam::1:policy/B"} with input as inp
	attached.attached_set == {"arn:aws:iam::aws:policy/P"} with input as inp
}

test_undescribed_only if {
	rs := attached.undescribed({"AWS::IAM::User", "AWS::IAM::Role"}, "X") with input as inp
	{r.resource.name | some r in rs} == {"ghost"}
	attached.any_undescribed({"AWS::IAM::User"}) with input as inp
	not attached.any_undescribed({"AWS::IAM::Role"}) with input as inp
}

test_aws_managed_any_partition if {
	attached.aws_managed("AWSSupportAccess", "arn:aws:iam::aws:policy/AWSSupportAccess")
	attached.aws_managed("AWSSupportAccess", "arn:aws-us-gov:iam::aws:policy/AWSSupportAccess")
	attached.aws_managed("AWSSupportAccess", "arn:aws-cn:iam::aws:policy/AWSSupportAccess")
	not attached.aws_managed("AWSSupportAccess", "arn:aws:iam::111122223333:policy/AWSSupportAccess")
	not attached.aws_managed("AWSSupportAccess", "arn:aws:iam::aws:policy/AWSSupportAccessX")
	not attached.aws_managed("AWSSupportAccess", "arn:aws:iam::aws:policy/service-role/AWSSupportAccess")
}
