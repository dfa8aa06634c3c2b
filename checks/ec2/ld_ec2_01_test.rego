package lockdown.checks.ld_ec2_01_test

import data.lockdown.checks.ld_ec2_01

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

profile := "arn:aws:iam::111122223333:instance-profile/app"

instance(region, id, state, prof) := {
	"id": id,
	"arn": sprintf("arn:aws:ec2:%s:111122223333:instance/%s", [region, id]),
	"region": region,
	"state": state,
	"instance_profile_arn": prof,
	"launch_time": null,
}

inp(regions, unknown) := {
	"account": acct,
	"regions": [r | some r, _ in regions],
	"ec2_instances": {r: {"region": r, "instances": list} | some r, list in regions},
	"ec2_unknown": unknown,
}

by_id(rs) := {r.resource.name: r.status | some r in rs}

test_profiles_and_states if {
	rs := ld_ec2_01.results with input as inp(
		{
			"us-east-1": [
				instance("us-east-1", "i-0aaa", "running", profile),
				instance("us-east-1", "i-0bbb", "running", ""),
				instance("us-east-1", "i-0ccc", "stopped", ""),
				instance("us-east-1", "i-0ddd", "terminated", ""),
			],
			"eu-west-1": [instance("eu-west-1", "i-0eee", "shutting-down", ""), instance("eu-west-1", "i-0fff", "pending", profile)],
			"eu-central-1": [],
		},
		{},
	)

	# Stopped instances are judged; terminated and shutting-down ones are not.
	by_id(rs) == {"i-0aaa": "PASS", "i-0bbb": "FAIL", "i-0ccc": "FAIL", "i-0fff": "PASS"}
	some r in rs
	r.resource.name == "i-0bbb"
	r.resource.arn == "arn:aws:ec2:us-east-1:111122223333:instance/i-0bbb"
	r.resource.type == "AWS::EC2::Instance"
	contains(r.message, "no IAM instance profile")
}

test_unknown_state_is_judged if {
	rs := ld_ec2_01.results with input as inp({"us-east-1": [instance("us-east-1", "i-0aaa", "", "")]}, {})
	by_id(rs) == {"i-0aaa": "FAIL"}
}

unknown_eu := {"eu-west-1": {"region": "eu-west-1", "code": "UnauthorizedOperation", "action": "ec2:DescribeInstances", "reason": "ec2:DescribeInstances failed in eu-west-1 (UnauthorizedOperation: not authorized)"}}

test_one_region_error if {
	rs := ld_ec2_01.results with input as inp(
		{
			"us-east-1": [instance("us-east-1", "i-0aaa", "running", profile)],
			"eu-west-1": [instance("eu-west-1", "i-0bbb", "running", "")],
		},
		unknown_eu,
	)
	{[r.resource.name, r.status] | some r in rs} == {["i-0aaa", "PASS"], ["i-0bbb", "FAIL"], ["111122223333", "NOT_ASSESSED"]}
	some r in rs
	r.status == "NOT_ASSESSED"
	r.detail == "eu-west-1"
	contains(r.message, "UnauthorizedOperation")
}

test_no_instances_one_pass if {
	rs := ld_ec2_01.results with input as inp({"us-east-1": [instance("us-east-1", "i-0ddd", "terminated", "")], "eu-west-1": []}, {})
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.type == "AWS::Account"
	r.evidence.items == ["i-0ddd"]
	contains(r.message, "1 terminated or shutting down")
}

test_no_instances_unknown_region_no_pass if {
	rs := ld_ec2_01.results with input as inp({"us-east-1": [], "eu-west-1": []}, unknown_eu)
	[r.status | some r in rs] == ["NOT_ASSESSED"]
}

test_regions_not_known if {
	rs := ld_ec2_01.results with input as {"account": acct, "regions": null, "ec2_instances": {}, "ec2_unknown": {}}
	[r.status | some r in rs] == ["NOT_ASSESSED"]
}
