# METADATA
# title: Assuming an admin role requires MFA, TLS and a fresh MFA
# description: |
#   The guide's AssumeAdminRole policy allows sts:AssumeRole on AdminRole only
#   when aws:MultiFactorAuthPresent is true, aws:SecureTransport is true and
#   aws:MultiFactorAuthAge is below 3600 seconds. For every user, and every
#   group's members, that an identity policy lets assume an
#   administrator-equivalent role (decided by the policy engine, not by the
#   role's name), lockdown asks the engine whether the same AssumeRole is also
#   allowed without MFA, without TLS, or with an MFA older than 3600 seconds.
#   Only the identity side is judged here; the role's trust policy is LD-ADM-03.
# custom:
#   id: LD-ADM-02
#   severity: high
#   section: IAM Policies
#   guide_step: "AssumeAdminRole: grants permission to assume a role named AdminRole (with MFA, over TLS, within 3600 seconds of MFA)."
#   requires: [authorization_details]
#   remediation: |
#     Grant sts:AssumeRole on admin roles only through the guide's
#     AssumeAdminRole policy, with all three conditions:
#       "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true, "aws:SecureTransport": true},
#                     "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}
#     and remove broader grants ("*", "sts:*") from the same principals:
#       aws iam create-policy-version --policy-arn arn:aws:iam::ACCOUNT_ID:policy/AssumeAdminRole --policy-document file://AssumeAdminRole.json --set-as-default
#     Console: IAM > Policies > AssumeAdminRole > Edit.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
package lockdown.checks.ld_adm_02

import data.lockdown.lib.iam
import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains verdict(result.user(u.arn, u.name), u.name, u.assume_admin) if {
	some u in input.iam.users
	u.assume_admin.roles > 0
}

results contains verdict(result.group(g), sprintf("members of group %s", [g.name]), g.assume_admin) if {
	some g in input.iam.groups
	g.assume_admin.roles > 0
}

# A user or group with unknown policies may assume admin roles; a role with
# unknown policies may be an admin role, so who may assume it is unchecked.
results contains r if some r in unknown.policy(unknown.principals, "How admin roles may be assumed")

loophole_evidence(a) := {
	"resources": [c.role | some c in a.loopholes],
	"items": [sprintf("%s: %s", [c.role, l]) | some c in a.loopholes; some l in c.loopholes],
	"statements": [iam.grant_source(c.allowed) | some c in a.loopholes; c.allowed != null],
}

verdict(res, who, a) := result.with_evidence(result.fail(res, msg), loophole_evidence(a)) if {
	a.loophole_count > 0
	c := a.loopholes[0]
	msg := sprintf("The identity policies let %s assume admin role %s %s%s.%s The guide requires MFA, TLS and an MFA age under 3600 seconds.", [
		who, iam.role_name(c.role), concat(", ", [iam.loophole_phrase(l) | some l in c.loopholes]), allowed_by(c),
		iam.more_roles(a.loophole_count - 1),
	])
} else := result.pass(res, msg) if {
	msg := sprintf("%s may assume admin roles (%d) only with MFA, over TLS and within 3600 seconds of MFA.", [who, a.roles])
}

allowed_by(c) := sprintf(" (allowed by %s)", [iam.grant_source(c.allowed)]) if c.allowed != null

else := ""
