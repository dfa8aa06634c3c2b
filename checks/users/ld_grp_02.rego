# METADATA
# title: IAM users get permissions only through groups
# description: |
#   Managing permissions on groups keeps every user's access explainable and
#   lets the guide's Users and Administrators groups be the only grants. A user
#   with a managed policy attached directly or an inline policy fails.
# custom:
#   id: LD-GRP-02
#   severity: low
#   section: IAM Groups
#   guide_step: "Any new IAM user should be added to this group. The permissions you attach here are meant to apply to all users."
#   requires: [authorization_details]
#   remediation: |
#     Attach the policy to a group instead and add the user to it, then remove
#     the user's own policies:
#       aws iam attach-group-policy --group-name GROUP --policy-arn POLICY_ARN
#       aws iam add-user-to-group --group-name GROUP --user-name USER
#       aws iam detach-user-policy --user-name USER --policy-arn POLICY_ARN
#       aws iam delete-user-policy --user-name USER --policy-name INLINE_POLICY_NAME
#     Console: IAM > Users > USER > Permissions > Remove.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_add-remove-users.html
package lockdown.checks.ld_grp_02

import data.lockdown.lib.result
import data.lockdown.lib.unknown

own_policies(u) := array.concat(
	[sprintf("managed policy %s", [arn]) | some arn in u.attached_policies],
	[sprintf("inline policy %s", [p.name]) | some p in u.inline_policies],
)

results contains verdict(u) if some u in input.users

# The list is built once, for the message and the evidence alike.
verdict(u) := {"status": "FAIL", "resource": result.user(u.arn, u.name), "message": msg, "evidence": {"items": own}} if {
	own := own_policies(u)
	count(own) > 0
	msg := sprintf("%s has policies of its own: %s. The guide grants permissions through groups only.", [u.name, concat(", ", own)])
} else := result.pass(result.user(u.arn, u.name), msg) if {
	msg := sprintf("%s gets its permissions only through groups.", [u.name])
}

# Users that the credential report lists but GetAccountAuthorizationDetails
# does not: their policies are unknown. (A user that is described but has a
# policy that does not parse is judged: its own policies are still named.)
results contains result.not_assessed(result.entity(u), msg) if {
	some arn, u in input.policy_unknown
	u.type == "AWS::IAM::User"
	not input.users[arn]
	msg := sprintf("Whether %s has policies of its own cannot be checked: %s.", [u.name, u.reason])
}

results contains result.pass(result.account, "The account has no IAM users.") if {
	count(input.users) == 0
	not unknown.any_policy(unknown.users)
}
