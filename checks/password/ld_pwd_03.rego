# METADATA
# title: The password policy prevents reuse of the last {cis_password_reuse_prevention} passwords
# description: |
#   CIS AWS Foundations v5.0 1.8 (Security Hub IAM.16): the account password
#   policy must remember at least cis_password_reuse_prevention (default 24,
#   CIS's value and IAM's maximum) previous passwords. No password policy at
#   all is a FAIL (IAM's default rules allow reuse). One result, on the
#   account. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-16
# custom:
#   id: LD-PWD-03
#   severity: low
#   section: IAM Policies
#   requires: [password_policy]
#   params:
#     cis_password_reuse_prevention: 24
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom, then tick
#     "Prevent password reuse" and remember 24 passwords.
#     AWS CLI (update-account-password-policy replaces the whole policy: repeat
#     the settings you keep):
#       aws iam update-account-password-policy --password-reuse-prevention 24 \
#         --minimum-password-length 14 --require-uppercase-characters \
#         --require-lowercase-characters --require-symbols --require-numbers \
#         --allow-users-to-change-password
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
package lockdown.checks.ld_pwd_03

import data.lockdown.lib.password
import data.lockdown.lib.result

want := input.params.cis_password_reuse_prevention

results contains password.no_policy(sprintf("remembering %d previous passwords", [want])) if input.password_policy == null

results contains result.pass(result.account, msg) if {
	password.at_least(input.password_policy.password_reuse_prevention, want)
	msg := sprintf("The password policy prevents reuse of the last %d passwords (want at least %d).", [input.password_policy.password_reuse_prevention, want])
}

results contains result.fail(result.account, msg) if {
	input.password_policy != null
	not password.at_least(input.password_policy.password_reuse_prevention, want)
	msg := sprintf("The password policy's reuse prevention is %s; it should remember at least %d passwords.", [password.number(input.password_policy.password_reuse_prevention), want])
}
