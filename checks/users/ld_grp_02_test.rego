package lockdown.checks.ld_grp_02_test

import data.lockdown.checks.ld_grp_02

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

user(name, attached, inline) := {
	"arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]),
	"name": name,
	"attached_policies": attached,
	"inline_policies": [{"name": n, "document": {}} | some n in inline],
}

inp(users) := {"account": acct, "users": {u.arn: u | some u in users}}

test_group_only_passes if {
	rs := ld_grp_02.results with input as inp([user("alice", [], [])])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
}

test_attached_and_inline_fail if {
	rs := ld_grp_02.results with input as inp([user("bob", ["arn:aws:iam::aws:policy/ReadOnlyAccess"], []), user("carol", [], ["mine"])])
	{r.resource.name | some r in rs; r.status == "FAIL"} == {"bob", "carol"}
	some r in rs
	r.resource.name == "bob"
	contains(r.message, "managed policy arn:aws:iam::aws:policy/ReadOnlyAccess")
}

test_no_users if {
	rs := ld_grp_02.results with input as inp([])
	count(rs) == 1
	some r in rs
	r.resource.type == "AWS::Account"
}

ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "arn:aws:iam::111122223333:user/ghost group \"Ghosts\": the user is a member of a group the snapshot does not describe"}

# A user the credential report lists but GetAccountAuthorizationDetails does
# not: NOT_ASSESSED, and the account is not said to have no users.
test_orphan_report_user_not_assessed if {
	bob := {"arn": "arn:aws:iam::111122223333:user/bob", "type": "AWS::IAM::User", "name": "bob", "reason": "bob is in the credential report (line 3) but not in GetAccountAuthorizationDetails"}
	rs := ld_grp_02.results with input as object.union(inp([]), {"policy_unknown": {bob.arn: bob}})
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	r.resource.name == "bob"
	not contains(r.message, "no IAM users")
}

# A described user with an undescribed group still has its own policies
# judged.
test_described_user_still_judged if {
	u := user("ghost", [], ["mine"])
	rs := ld_grp_02.results with input as object.union(inp([u]), {"policy_unknown": {ghost.arn: ghost}})
	some r in rs
	r.status == "FAIL"
	r.evidence.items == ["inline policy mine"]
}
