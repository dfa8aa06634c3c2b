# METADATA
# title: A support role exists (a role with AWSSupportAccess attached)
# description: |
#   CIS AWS Foundations v5.0 1.16 (Security Hub IAM.18): a role to manage
#   incidents with AWS Support exists, that is, at least one IAM role has the
#   AWS managed policy AWSSupportAccess (arn:<partition>:iam::aws:policy/
#   AWSSupportAccess, any partition) attached. Each such role is a PASS; when
#   there is none the account FAILs. AWSSupportAccess attached only to users
#   or groups does not count (CIS asks for a role), nor does a customer
#   managed policy of the same name, nor the service-linked
#   AWSServiceRoleForSupport (AWSSupportServiceRolePolicy). When no support
#   role is found but some role is not described by the snapshot, the account
#   is NOT_ASSESSED. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-18
# custom:
#   id: LD-ROLE-01
#   severity: low
#   section: IAM Roles
#   requires: [authorization_details]
#   remediation: |
#     Create a role that your support staff can assume and attach AWSSupportAccess:
#       aws iam create-role --role-name SupportRole --assume-role-policy-document file://trust.json
#       aws iam attach-role-policy --role-name SupportRole --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess
#     (trust.json lets your account's administrators assume it, with MFA.)
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-18
package lockdown.checks.ld_role_01

import data.lockdown.lib.attached
import data.lockdown.lib.result
import data.lockdown.lib.unknown

support_roles contains r if {
	some r in input.roles
	some p in r.attached_policies
	attached.aws_managed("AWSSupportAccess", p)
}

results contains result.pass(result.role(r), msg) if {
	some r in support_roles
	msg := sprintf("%s has AWSSupportAccess attached: a support role to manage incidents with AWS Support.", [r.name])
}

results contains result.fail(result.account, "No IAM role has the AWS managed policy AWSSupportAccess attached: create a support role to manage incidents with AWS Support.") if {
	count(support_roles) == 0
	not attached.any_undescribed(unknown.roles)
}

results contains result.not_assessed(result.account, "No described IAM role has AWSSupportAccess attached, but some roles are not described by the snapshot, so whether a support role exists is unknown.") if {
	count(support_roles) == 0
	attached.any_undescribed(unknown.roles)
}
