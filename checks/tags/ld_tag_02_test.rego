package lockdown.checks.ld_tag_02_test

import data.lockdown.checks.ld_tag_02

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

user(name, tags) := {"arn": sprintf("arn:aws:iam::111122223333:user/%s", [name]), "name": name, "tags": tags}

inp(users, keys) := {"account": acct, "params": {"required_user_tag_keys": keys}, "users": {u.arn: u | some u in users}, "policy_unknown": {}}

status(rs) := {r.resource.name: r.status | some r in rs}

test_any_tag if {
	rs := ld_tag_02.results with input as inp([user("alice", {"team": "x"}), user("bob", {})], "")
	status(rs) == {"alice": "PASS", "bob": "FAIL"}
}

test_required_keys_case_sensitive if {
	rs := ld_tag_02.results with input as inp([user("alice", {"Team": "x"})], "team")
	status(rs) == {"alice": "FAIL"}
}

test_undescribed_user if {
	u := {"arn": "arn:aws:iam::111122223333:user/carol", "type": "AWS::IAM::User", "name": "carol", "reason": "not listed by GetAccountAuthorizationDetails"}
	rs := ld_tag_02.results with input as object.union(inp([user("alice", {"team": "x"})], ""), {"policy_unknown": {u.arn: u}})
	status(rs) == {"alice": "PASS", "carol": "NOT_ASSESSED"}
}

test_no_users if {
	status(ld_tag_02.results) == {"111122223333": "PASS"} with input as inp([], "")
}
