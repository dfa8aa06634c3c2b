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
