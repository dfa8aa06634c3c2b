package lockdown.checks.ld_adm_04_test

import data.lockdown.checks.ld_adm_04

admin_doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"params": {"admin_max_session_seconds": 3600},
	"policies": {
		"arn:aws:iam::111122223333:policy/AdminPolicy": {"arn": "arn:aws:iam::111122223333:policy/AdminPolicy", "document": admin_doc},
		"arn:aws:iam::111122223333:policy/Read": {"arn": "arn:aws:iam::111122223333:policy/Read", "document": {"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}},
	},
}

role(name, attached, inline, max) := {
	"arn": sprintf("arn:aws:iam::111122223333:role/%s", [name]),
	"name": name,
	"attached_policies": attached,
	"inline_policies": inline,
	"max_session_duration": max,
	"service_linked": false,
}

inp(roles) := object.union(base, {"roles": {r.arn: r | some r in roles}})

statuses(rs) := {r.resource.name: r.status | some r in rs}

test_admin_roles if {
	roles := [
		role("AdminRole", ["arn:aws:iam::111122223333:policy/AdminPolicy"], [], 3600),
		role("LongAdmin", ["arn:aws:iam::aws:policy/AdministratorAccess"], [], 43200),
		role("InlineAdmin", [], [{"name": "all", "document": admin_doc}], 7200),
		role("Reader", ["arn:aws:iam::111122223333:policy/Read"], [], 43200),
	]
	rs := ld_adm_04.results with input as inp(roles)
	statuses(rs) == {"AdminRole": "PASS", "LongAdmin": "FAIL", "InlineAdmin": "FAIL"}
	some r in rs
	r.resource.name == "LongAdmin"
	contains(r.message, "43200 seconds")
	contains(r.message, "AdministratorAccess")
}

test_unknown_policy_not_assessed if {
	rs := ld_adm_04.results with input as inp([role("Mystery", ["arn:aws:iam::111122223333:policy/Gone"], [], 43200)])
	statuses(rs) == {"Mystery": "NOT_ASSESSED"}
}

test_missing_duration_not_assessed if {
	rs := ld_adm_04.results with input as inp([role("AdminRole", ["arn:aws:iam::111122223333:policy/AdminPolicy"], [], null)])
	statuses(rs) == {"AdminRole": "NOT_ASSESSED"}
}

test_service_linked_skipped_and_account_pass if {
	slr := object.union(role("AWSServiceRoleForX", ["arn:aws:iam::aws:policy/AdministratorAccess"], [], 43200), {"service_linked": true})
	rs := ld_adm_04.results with input as inp([slr, role("Reader", ["arn:aws:iam::111122223333:policy/Read"], [], 43200)])
	count(rs) == 1
	some r in rs
	r.resource.type == "AWS::Account"
	r.status == "PASS"
}

test_param if {
	inp2 := object.union(inp([role("AdminRole", ["arn:aws:iam::111122223333:policy/AdminPolicy"], [], 3600)]), {"params": {"admin_max_session_seconds": 900}})
	rs := ld_adm_04.results with input as inp2
	statuses(rs) == {"AdminRole": "FAIL"}
}
