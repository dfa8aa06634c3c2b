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

# Admin roles that a principal's policies treat alike (same loopholes, same
# allowing statement) are one class (input.iam.users[_].assume_admin.loopholes).
# A class of several roles is named by an admin role set, reported once with
# its roles and the principals that share it, instead of repeating every role
# in every principal's result: the report grows with principals plus roles,
# not with their product.

results contains verdict(result.user(u.arn, u.name), u.name, u.assume_admin) if {
	some u in input.iam.users
	u.assume_admin.roles > 0
}

results contains verdict(result.group(g), sprintf("members of group %s", [g.name]), g.assume_admin) if {
	some g in input.iam.groups
	g.assume_admin.roles > 0
}

# One result per admin role set some principal's loopholes name: its roles
# and the principals whose results name it, listed once.
results contains role_set_verdict(s) if some s in input.iam.admin_role_sets

# A user or group with unknown policies may assume admin roles; a role with
# unknown policies may be an admin role, so who may assume it is unchecked.
results contains r if some r in unknown.policy(unknown.principals, "How admin roles may be assumed")

role_set_resource(id) := {"arn": sprintf("lockdown:admin-role-set/%s", [id]), "type": "Lockdown::IAM::AdminRoleSet", "name": id}

role_set_verdict(s) := result.with_evidence(result.fail(role_set_resource(s.id), msg), {"resources": s.roles, "principals": s.principals}) if {
	msg := sprintf("Admin role set %s: the identity policies of %d principal(s) let them assume these %d admin roles (%s and others) alike, in a request the guide refuses; each principal's result names the loopholes. The guide requires MFA, TLS and an MFA age under 3600 seconds.", [
		s.id, count(s.principals), count(s.roles), iam.role_name(s.roles[0]),
	])
}

# A class of one role is named by the role, a larger one by its role set.
class_resource(c) := c.role if c.role_set == ""

else := role_set_resource(c.role_set).arn

class_name(c) := c.role if c.role_set == ""

else := sprintf("admin role set %s (%d roles)", [c.role_set, c.role_count])

loophole_evidence(a) := {
	"resources": [class_resource(c) | some c in a.loopholes],
	"items": [sprintf("%s: %s", [class_name(c), l]) | some c in a.loopholes; some l in c.loopholes],
	"statements": [iam.grant_source(c.allowed) | some c in a.loopholes; c.allowed != null],
}

verdict(res, who, a) := result.with_evidence(result.fail(res, msg), loophole_evidence(a)) if {
	a.loophole_count > 0
	c := a.loopholes[0]
	msg := sprintf("The identity policies let %s assume admin role %s %s%s.%s%s The guide requires MFA, TLS and an MFA age under 3600 seconds.", [
		who, iam.role_name(c.role), concat(", ", [iam.loophole_phrase(l) | some l in c.loopholes]), allowed_by(c),
		iam.more_roles(a.loophole_count - 1), role_sets_phrase(a),
	])
} else := result.pass(res, msg) if {
	msg := sprintf("%s may assume admin roles (%d) only with MFA, over TLS and within 3600 seconds of MFA.", [who, a.roles])
}

role_sets_phrase(a) := sprintf(" The roles are listed in admin role set(s) %s.", [concat(", ", ids)]) if {
	ids := [c.role_set | some c in a.loopholes; c.role_set != ""]
	count(ids) > 0
} else := ""

allowed_by(c) := sprintf(" (allowed by %s)", [iam.grant_source(c.allowed)]) if c.allowed != null

else := ""
