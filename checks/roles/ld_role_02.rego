# METADATA
# title: No role trust policy lets any principal assume the role
# description: |
#   CIS AWS Foundations v7.0 2.21 (resource policies with Principal "*"), for
#   role trust policies. Decided by the policy engine: a role fails when its
#   trust policy, with no help from the caller's own account (which allows
#   it sts:*), lets an unrelated principal assume it: an IAM user or a role
#   session of another account (sts:AssumeRole, in the request contexts
#   access_key, session_no_mfa and mfa_session) or a federated identity of
#   an unknown provider (sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML),
#   in each of two unrelated accounts (naming one other account is not "*").
#   So "Principal": "*" and {"AWS": "*"} fail unless a condition narrows who
#   may assume the role: aws:PrincipalOrgID, aws:PrincipalAccount,
#   aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, sts:ExternalId or a
#   provider's own keys all do, because the outsider's request does not carry
#   them (or carries other values); requiring MFA or TLS does not, because
#   anyone can meet it. An explicit Deny of outsiders passes. Every role,
#   service-linked ones included, gets a result; a trust policy that cannot
#   be read is NOT_ASSESSED.
# custom:
#   id: LD-ROLE-02
#   severity: critical
#   section: IAM Roles
#   requires: [authorization_details]
#   remediation: |
#     Name the principals that may assume the role, or add a condition that
#     narrows "*" (for example aws:PrincipalOrgID):
#       aws iam update-assume-role-policy --role-name ROLE --policy-document file://trust.json
#     Console: IAM > Roles > ROLE > Trust relationships > Edit trust policy.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
package lockdown.checks.ld_role_02

import data.lockdown.lib.result

results contains verdict(r, object.get(input.policy_grants.trust, r.arn, null)) if some r in input.roles

verdict(r, null) := result.not_assessed(result.role(r), msg) if {
	msg := sprintf("%s's trust policy is not in the snapshot.", [r.name])
}

verdict(r, t) := result.not_assessed(result.role(r), msg) if {
	t != null
	t.error != ""
	msg := sprintf("%s's trust policy cannot be read: %s.", [r.name, t.error])
}

verdict(r, t) := result.with_evidence(result.fail(result.role(r), msg), ev) if {
	t != null
	object.get(t, "error", "") == ""
	t.any_principal
	msg := sprintf("%s's trust policy lets any principal assume it (statement %s allows %s for a principal of an unrelated account); no condition narrows \"*\".", [r.name, concat(", ", t.statements), concat(", ", t.actions)])
	ev := {"statements": t.statements, "actions": t.actions, "contexts": t.contexts, "principals": ["*"]}
}

verdict(r, t) := result.pass(result.role(r), msg) if {
	t != null
	object.get(t, "error", "") == ""
	not t.any_principal
	msg := sprintf("%s's trust policy does not let an unrelated principal assume it.", [r.name])
}

results contains result.pass(result.account, "The account has no IAM roles.") if count(input.roles) == 0
