# METADATA
# title: The password policy requires at least {cis_password_min_length} characters
# description: |
#   CIS AWS Foundations v5.0 1.7 (Security Hub IAM.15): the account password
#   policy's minimum password length must be at least cis_password_min_length
#   (default 14, CIS's value). No password policy at all is a FAIL (IAM's
#   default rules ask for 8 characters). One result, on the account. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-15
# custom:
#   id: LD-PWD-02
#   severity: medium
#   section: IAM Policies
#   requires: [password_policy]
#   params:
#     cis_password_min_length: 14
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom, then set
#     "Password minimum length" to 14.
#     AWS CLI (update-account-password-policy replaces the whole policy: repeat
#     the settings you keep):
#       aws iam update-account-password-policy --minimum-password-length 14 \
#         --password-reuse-prevention 24 --require-uppercase-characters \
#         --require-lowercase-characters --require-symbols --require-numbers \
#         --allow-users-to-change-password
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
package lockdown.checks.ld_pwd_02

import data.lockdown.lib.password
import data.lockdown.lib.result

want := input.params.cis_password_min_length

results contains password.no_policy(sprintf("a minimum length of %d", [want])) if input.password_policy == null

results contains result.pass(result.account, msg) if {
	password.at_least(input.password_policy.minimum_password_length, want)
	msg := sprintf("The password policy requires at least %d characters (want at least %d).", [input.password_policy.minimum_password_length, want])
}

results contains result.fail(result.account, msg) if {
	input.password_policy != null
	not password.at_least(input.password_policy.minimum_password_length, want)
	msg := sprintf("The password policy's minimum length is %s; it should be at least %d.", [password.number(input.password_policy.minimum_password_length), want])
}
