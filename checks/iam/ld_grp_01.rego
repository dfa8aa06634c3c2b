# METADATA
# title: Every user is in a group that requires MFA
# description: |
#   The guide adds every IAM user to the Users group, which carries
#   IAMRequireMFA. A group "carries the MFA requirement" when, by the policy
#   engine's decision, its policies explicitly deny a member's non-IAM
#   requests (s3:ListAllMyBuckets, ec2:DescribeInstances, sts:AssumeRole)
#   made with long-term access keys and with a session without MFA.
# custom:
#   id: LD-GRP-01
#   severity: high
#   section: IAM Groups
#   guide_step: "Any new IAM user should be added to this group (Users, with IAMRequireMFA attached)."
#   requires: [authorization_details]
#   remediation: |
#     Add the user to the group that carries IAMRequireMFA:
#       aws iam add-user-to-group --group-name Users --user-name USER
#     Console: IAM > Users > USER > Groups > Add user to groups.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_add-remove-users.html
package lockdown.checks.ld_grp_01

import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains verdict(u) if some u in input.iam.users

results contains r if some r in unknown.policy(unknown.users, "Membership in a group that requires MFA")

verdict(u) := result.pass(result.user(u.arn, u.name), msg) if {
	count(u.mfa_groups) > 0
	msg := sprintf("%s is in group %s, which denies non-IAM requests without MFA.", [u.name, concat(", ", u.mfa_groups)])
} else := result.fail(result.user(u.arn, u.name), msg) if {
	groups := object.get(input.users, [u.arn, "group_names"], [])
	msg := sprintf("%s is in no group that denies requests without MFA (groups: %s). The guide adds every user to Users, which carries IAMRequireMFA.", [u.name, group_list(groups)])
}

group_list(gs) := "none" if count(gs) == 0

else := concat(", ", gs)
