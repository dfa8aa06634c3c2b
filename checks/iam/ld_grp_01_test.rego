package lockdown.checks.ld_grp_01_test

import data.lockdown.checks.ld_grp_01

alice := "arn:aws:iam::111122223333:user/alice"

inp(mfa_groups, names) := {
	"iam": {"users": {alice: {"arn": alice, "name": "alice", "mfa_groups": mfa_groups}}},
	"users": {alice: {"group_names": names}},
}

test_pass_in_mfa_group if {
	some r in ld_grp_01.results with input as inp(["Users"], ["Administrators", "Users"])
	r.status == "PASS"
	contains(r.message, "group Users")
}

test_fail_lists_groups if {
	some r in ld_grp_01.results with input as inp([], ["Administrators"])
	r.status == "FAIL"
	contains(r.message, "(groups: Administrators)")
}

test_fail_no_groups if {
	some r in ld_grp_01.results with input as inp([], [])
	r.status == "FAIL"
	contains(r.message, "(groups: none)")
}

ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "arn:aws:iam::111122223333:user/ghost group \"Ghosts\": the user is a member of a group the snapshot does not describe"}

# A user whose groups or policies are not completely known is NOT_ASSESSED
# with the reason, never PASS.
test_unknown_user_not_assessed if {
	rs := ld_grp_01.results with input as object.union(inp([], []), {"policy_unknown": {ghost.arn: ghost}})
	some r in rs
	r.resource == {"arn": ghost.arn, "type": "AWS::IAM::User", "name": "ghost"}
	r.status == "NOT_ASSESSED"
	contains(r.message, "Ghosts")
}
