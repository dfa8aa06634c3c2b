package lockdown.checks.ld_mfa_01_test

import data.lockdown.checks.ld_mfa_01

alice := "arn:aws:iam::111122223333:user/alice"

grant := {
	"context": "access_key", "action": "iam:CreateUser", "resource": "*",
	"policy": "AdminPolicy", "policy_kind": "group-managed", "statement": "#1", "group": "Administrators",
}

inp(without) := inp_enforced(without, true)

inp_enforced(without, enforced) := {"iam": {"users": {alice: {
	"arn": alice, "name": "alice", "without_mfa": without,
	"mfa_enforced": enforced, "mfa_enforced_by": "IAMRequireMFA statement Deny",
	"mfa_gap": "s3:ListAllMyBuckets with long-term access keys",
}}}}

test_fail_names_action_and_statement if {
	some r in ld_mfa_01.results with input as inp([grant, grant])
	r.status == "FAIL"
	r.resource.arn == alice
	contains(r.message, "iam:CreateUser with long-term access keys and no MFA")
	contains(r.message, "AdminPolicy statement #1 (group Administrators)")
	contains(r.message, "(1 more)")
}

test_session_without_mfa_phrase if {
	g := object.union(grant, {"context": "session_no_mfa", "group": ""})
	some r in ld_mfa_01.results with input as inp([g])
	contains(r.message, "in a session without MFA")
	contains(r.message, "(group-managed)")
}

test_pass_when_nothing_without_mfa if {
	some r in ld_mfa_01.results with input as inp([])
	r.status == "PASS"
}

test_no_iam_facts_no_results if {
	count(ld_mfa_01.results) == 0 with input as {"iam": null}
}

test_fail_when_no_deny_enforces_mfa if {
	some r in ld_mfa_01.results with input as inp_enforced([], false)
	r.status == "FAIL"
	contains(r.message, "s3:ListAllMyBuckets with long-term access keys is not denied")
}

test_pass_names_the_deny if {
	some r in ld_mfa_01.results with input as inp([])
	contains(r.message, "IAMRequireMFA statement Deny denies the rest")
}

ghost := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "arn:aws:iam::111122223333:user/ghost group \"Ghosts\": the user is a member of a group the snapshot does not describe"}

# A user whose groups or policies are not completely known is NOT_ASSESSED
# with the reason, never PASS.
test_unknown_user_not_assessed if {
	rs := ld_mfa_01.results with input as object.union(inp([]), {"policy_unknown": {ghost.arn: ghost}})
	some r in rs
	r.resource == {"arn": ghost.arn, "type": "AWS::IAM::User", "name": "ghost"}
	r.status == "NOT_ASSESSED"
	contains(r.message, "Ghosts")
}

# Every grant is in the evidence, not only the one the message names.
test_evidence_is_whole if {
	g2 := object.union(grant, {"action": "s3:GetObject", "context": "session_no_mfa"})
	some r in ld_mfa_01.results with input as inp([grant, g2])
	r.evidence.actions == ["iam:CreateUser", "s3:GetObject"]
	r.evidence.contexts == ["access_key", "session_no_mfa"]
	r.evidence.statements == ["AdminPolicy statement #1 (group Administrators)", "AdminPolicy statement #1 (group Administrators)"]
}

test_any_action_phrase if {
	g := object.union(grant, {"action": "lockdownprobe:AnyAction"})
	some r in ld_mfa_01.results with input as inp([g])
	contains(r.message, "can call any action")
	not contains(r.message, "lockdownprobe")
	r.evidence.actions == ["*"]
}
