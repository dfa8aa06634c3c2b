package lockdown.checks.ld_tag_01_test

import data.lockdown.checks.ld_tag_01

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

role(name, tags) := {"arn": sprintf("arn:aws:iam::111122223333:role/%s", [name]), "name": name, "tags": tags, "service_linked": false}

inp(roles, keys) := {"account": acct, "params": {"required_role_tag_keys": keys}, "roles": {r.arn: r | some r in roles}, "policy_unknown": {}}

status(rs) := {r.resource.name: r.status | some r in rs}

test_any_tag if {
	rs := ld_tag_01.results with input as inp([role("A", {"team": "x"}), role("B", {}), role("C", {"aws:cloudformation:stack-id": "s"})], "")
	status(rs) == {"A": "PASS", "B": "FAIL", "C": "FAIL"}
}

test_required_keys if {
	rs := ld_tag_01.results with input as inp([role("A", {"team": "x"}), role("B", {"team": "x", "owner": "y"})], "team,owner")
	status(rs) == {"A": "FAIL", "B": "PASS"}
	some r in rs
	r.status == "FAIL"
	contains(r.message, "lacks the required tag keys owner")
}

test_service_linked_judged if {
	slr := object.union(role("AWSServiceRoleForSupport", {}), {"service_linked": true})
	status(ld_tag_01.results) == {"AWSServiceRoleForSupport": "FAIL"} with input as inp([slr], "")
}

test_no_roles if {
	status(ld_tag_01.results) == {"111122223333": "PASS"} with input as inp([], "")
}
