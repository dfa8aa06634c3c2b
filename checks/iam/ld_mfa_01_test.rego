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
