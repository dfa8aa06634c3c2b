# METADATA
# title: Admin role trust admits only the own account, with MFA
# description: |
#   AdminRole is created with the console's "Another AWS account" option using
#   the account's own ID, and "Require MFA" ticked. For every role the policy
#   engine finds administrator-equivalent (service-linked roles aside),
#   lockdown reads its trust policy:
#   it fails if an Allow of sts:AssumeRole admits "*", another account, a
#   service or a federated provider, or if it lets a principal of the own
#   account assume the role without MFA (evaluated with long-term keys and
#   with a session without MFA, so both the Bool and the Null encodings of
#   the MFA condition are judged by what IAM would decide).
# custom:
#   id: LD-ADM-03
#   severity: critical
#   section: IAM Roles
#   guide_step: "If you're creating the role from the AWS console simply choose the Another AWS account option but use your own account ID... check the Require MFA checkbox."
#   requires: [authorization_details]
#   remediation: |
#     Write the trust policy so it names only the own account and requires MFA:
#       {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
#         "Principal": {"AWS": "arn:aws:iam::ACCOUNT_ID:root"}, "Action": "sts:AssumeRole",
#         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
#       aws iam update-assume-role-policy --role-name AdminRole --policy-document file://trust.json
#     Console: IAM > Roles > AdminRole > Trust relationships > Edit trust policy.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html
package lockdown.checks.ld_adm_03

import data.lockdown.lib.result
import data.lockdown.lib.unknown

# Service-linked roles are created and trusted by AWS services by design.
results contains verdict(r) if {
	some r in input.iam.roles
	r.admin
	not input.roles[r.arn].service_linked
}

results contains r if some r in unknown.policy(unknown.roles, "Whom an admin role trusts")

verdict(r) := result.with_evidence(result.fail(result.role(r), msg), {"principals": r.trust.outsiders}) if {
	count(r.trust.outsiders) > 0
	msg := sprintf("Admin role %s trusts principals other than the account's own users and roles: %s. The guide trusts only the own account.", [r.name, concat(", ", r.trust.outsiders)])
} else := result.with_evidence(result.fail(result.role(r), msg), {"statements": r.trust.without_mfa}) if {
	count(r.trust.without_mfa) > 0
	msg := sprintf("Admin role %s's trust policy lets principals of the account assume it without MFA (statement %s). The guide wants \"Require MFA\" on the role.", [r.name, concat(", ", r.trust.without_mfa)])
} else := result.fail(result.role(r), msg) if {
	not r.trust.present
	msg := sprintf("Admin role %s has no trust policy in the snapshot, so whom it admits cannot be shown.", [r.name])
} else := result.pass(result.role(r), sprintf("Admin role %s trusts only the own account and requires MFA.", [r.name]))
