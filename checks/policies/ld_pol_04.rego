# METADATA
# title: No IAM identity has AWSCloudShellFullAccess attached
# description: |
#   CIS AWS Foundations v5.0 1.21 (Security Hub IAM.27): the AWS managed
#   policy AWSCloudShellFullAccess (arn:<partition>:iam::aws:policy/
#   AWSCloudShellFullAccess, any partition) is attached to no user, group or
#   role: it lets its holders upload and download files through CloudShell,
#   a path around data-exfiltration controls. Each user, group and role gets
#   a result from its own attachment list (a user is not failed for a group's
#   attachment; the group is). Users, groups and roles the snapshot's
#   authorization details do not describe are NOT_ASSESSED. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-27
# custom:
#   id: LD-POL-04
#   severity: medium
#   section: IAM Policies
#   requires: [authorization_details]
#   remediation: |
#     Detach the policy (and grant the CloudShell actions needed, without file transfer):
#       aws iam detach-user-policy --user-name USER --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess
#       aws iam detach-group-policy --group-name GROUP --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess
#       aws iam detach-role-policy --role-name ROLE --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-27
package lockdown.checks.ld_pol_04

import data.lockdown.lib.attached
import data.lockdown.lib.result
import data.lockdown.lib.unknown

identities contains [res, e.attached_policies] if {
	some arn, e in input.users
	res := result.user(arn, e.name)
}

identities contains [result.group(e), e.attached_policies] if some e in input.groups

identities contains [result.role(e), e.attached_policies] if some e in input.roles

cloudshell(list) := [p | some p in list; attached.aws_managed("AWSCloudShellFullAccess", p)]

results contains result.with_evidence(result.fail(res, msg), {"items": hits}) if {
	some [res, list] in identities
	hits := cloudshell(list)
	count(hits) > 0
	msg := sprintf("%s has AWSCloudShellFullAccess attached.", [res.name])
}

results contains result.pass(res, msg) if {
	some [res, list] in identities
	count(cloudshell(list)) == 0
	msg := sprintf("%s does not have AWSCloudShellFullAccess attached.", [res.name])
}

results contains r if some r in attached.undescribed(unknown.principals, "The AWSCloudShellFullAccess attachment")

results contains result.pass(result.account, "The account has no IAM users, groups or roles.") if {
	count(identities) == 0
	not attached.any_undescribed(unknown.principals)
}
