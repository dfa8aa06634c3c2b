package lockdown.checks.ld_adm_01_test

import data.lockdown.checks.ld_adm_01

alice := "arn:aws:iam::111122223333:user/alice"

admins := "arn:aws:iam::111122223333:group/Administrators"

grant(action, ctx) := {
	"context": ctx, "action": action, "resource": "*",
	"policy": "AdminPolicy", "policy_kind": "group-managed", "statement": "#1", "group": "Administrators",
}

user(admin, without_mfa, mfa_groups) := {
	"arn": alice, "name": "alice", "admin": admin,
	"admin_without_mfa": without_mfa, "mfa_groups": mfa_groups,
}

inp(u, g) := {"iam": {"users": {alice: u}, "groups": {admins: g}}}

no_admin_group := {"arn": admins, "name": "Administrators", "admin": []}

test_guide_as_written_explains_the_notaction_gap if {
	u := user([grant("iam:AttachUserPolicy", "access_key")], true, ["Users"])
	some r in ld_adm_01.results with input as inp(u, no_admin_group)
	r.resource.type == "AWS::IAM::User"
	r.status == "FAIL"
	contains(r.message, "alice can perform iam:AttachUserPolicy directly, without assuming a role")
	contains(r.message, "AdminPolicy statement #1 (group Administrators)")
	contains(r.message, "NotAction \"iam:*\"")
}

test_admin_with_mfa_only_has_no_gap_note if {
	u := user([grant("iam:PutUserPolicy", "mfa_session")], false, ["Users"])
	some r in ld_adm_01.results with input as inp(u, no_admin_group)
	r.resource.type == "AWS::IAM::User"
	r.status == "FAIL"
	not contains(r.message, "no MFA")
}

test_group_fails_with_any_action if {
	g := {"arn": admins, "name": "Administrators", "admin": [grant("lockdownprobe:AnyAction", "access_key")]}
	some r in ld_adm_01.results with input as inp(user([], false, []), g)
	r.resource.type == "AWS::IAM::Group"
	r.status == "FAIL"
	contains(r.message, "any action (\"*\")")
	contains(r.message, "with long-term access keys")
}

test_pass_without_admin if {
	rs := ld_adm_01.results with input as inp(user([], false, ["Users"]), no_admin_group)
	count(rs) == 2
	every r in rs { r.status == "PASS" }
}

ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "arn:aws:iam::111122223333:user/ghost group \"Ghosts\": the user is a member of a group the snapshot does not describe"}

# A user whose groups or policies are not completely known is NOT_ASSESSED
# with the reason, never PASS.
test_unknown_user_not_assessed if {
	rs := ld_adm_01.results with input as object.union(inp(user([], false, []), no_admin_group), {"policy_unknown": {ghost.arn: ghost}})
	some r in rs
	r.resource == {"arn": ghost.arn, "type": "AWS::IAM::User", "name": "ghost"}
	r.status == "NOT_ASSESSED"
	contains(r.message, "Ghosts")
}

test_unknown_group_not_assessed if {
	g := {"arn": "arn:aws:iam::111122223333:group/G", "type": "AWS::IAM::Group", "name": "G", "reason": "bad policy"}
	rs := ld_adm_01.results with input as object.union(inp(user([], false, []), no_admin_group), {"policy_unknown": {g.arn: g}})
	some r in rs
	r.resource.type == "AWS::IAM::Group"
	r.resource.name == "G"
	r.status == "NOT_ASSESSED"
}

test_any_action_and_evidence if {
	u := user([grant("lockdownprobe:AnyAction", "access_key"), grant("iam:PutUserPolicy", "access_key")], true, [])
	some r in ld_adm_01.results with input as inp(u, no_admin_group)
	r.status == "FAIL"
	contains(r.message, "can perform any action")
	r.evidence.actions == ["*", "iam:PutUserPolicy"]
	r.evidence.contexts == ["access_key", "access_key"]
}
