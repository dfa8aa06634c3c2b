# METADATA
# title: Administrator power only by assuming a role
# description: |
#   The guide grants admin rights only through AdminRole, assumed with MFA.
#   lockdown asks the IAM policy engine whether any user, or a member of any
#   group, can directly perform an administrator-equivalent action: any
#   action at all ("*"), or one that grants permissions to anyone (attach or
#   put a user, group or role policy, create or set a policy version, change
#   a trust policy, add a user to a group, create access keys or a login
#   profile for another user, remove a permissions boundary).
#   The guide as written attaches AdminPolicy to the Administrators group. Its
#   members then hold iam:* without assuming AdminRole, and without MFA: the
#   IAMRequireMFA Deny uses NotAction "iam:*", so it never denies IAM actions.
# custom:
#   id: LD-ADM-01
#   severity: critical
#   section: IAM Groups
#   guide_step: "Only certain users should be granted administrative access to your account."
#   requires: [authorization_details]
#   remediation: |
#     Give administrators the right to assume AdminRole instead of admin rights:
#       aws iam detach-group-policy --group-name Administrators --policy-arn arn:aws:iam::ACCOUNT_ID:policy/AdminPolicy
#       aws iam attach-group-policy --group-name Administrators --policy-arn arn:aws:iam::ACCOUNT_ID:policy/AssumeAdminRole
#     Remove admin-equivalent grants attached to users directly
#     (aws iam detach-user-policy / aws iam delete-user-policy).
#     Console: IAM > User groups > Administrators > Permissions.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-cli.html
package lockdown.checks.ld_adm_01

import data.lockdown.lib.iam
import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains user_verdict(u) if some u in input.iam.users

results contains group_verdict(g) if some g in input.iam.groups

results contains r if some r in unknown.policy({"AWS::IAM::User", "AWS::IAM::Group"}, "Administrator-equivalent permissions")

user_verdict(u) := result.with_evidence(result.fail(result.user(u.arn, u.name), msg), iam.grants_evidence(u.admin)) if {
	count(u.admin) > 0
	g := u.admin[0]
	msg := sprintf("%s can perform %s directly, without assuming a role: allowed by %s.%s", [
		u.name, iam.action_phrase(g.action), iam.grant_source(g), without_mfa_note(u),
	])
} else := result.pass(result.user(u.arn, u.name), sprintf("%s has no administrator-equivalent permission of their own.", [u.name]))

group_verdict(g) := result.with_evidence(result.fail(result.group(g), msg), iam.grants_evidence(g.admin)) if {
	count(g.admin) > 0
	a := g.admin[0]
	msg := sprintf("Members of group %s can perform %s without assuming a role: allowed by %s%s.", [
		g.name, iam.action_phrase(a.action), iam.grant_source(a), iam.context_suffix(a.context),
	])
} else := result.pass(result.group(g), sprintf("Group %s grants no administrator-equivalent permission.", [g.name]))

without_mfa_note(u) := note if {
	u.admin_without_mfa
	count(u.mfa_groups) > 0
	note := sprintf(" This works with long-term access keys and no MFA: the MFA requirement in group %s does not deny this action (a Deny with NotAction \"iam:*\" exempts every IAM action).", [u.mfa_groups[0]])
} else := note if {
	u.admin_without_mfa
	note := " This works with long-term access keys and no MFA."
} else := ""
