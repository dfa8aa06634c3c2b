# METADATA
# title: The password policy requires a symbol (a non-alphanumeric character)
# description: |
#   Security Hub IAM.13 (CIS v1.2): the account password policy must require at
#   least a symbol (a non-alphanumeric character) in every IAM user password (require_symbols). No password policy at
#   all is a FAIL: IAM's default rules do not require it. One result, on the
#   account. Source: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-13
# custom:
#   id: LD-PWD-08
#   severity: medium
#   section: IAM Policies
#   requires: [password_policy]
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom, then tick "Require at least one non-alphanumeric character".
#     AWS CLI (update-account-password-policy replaces the whole policy: repeat
#     the settings you keep):
#       aws iam update-account-password-policy --require-symbols \
#         --minimum-password-length 14 --password-reuse-prevention 24 \
#         --require-uppercase-characters --require-lowercase-characters \
#         --require-symbols --require-numbers --allow-users-to-change-password
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-13
package lockdown.checks.ld_pwd_08

import data.lockdown.lib.password
import data.lockdown.lib.result

results contains password.no_policy("a symbol (a non-alphanumeric character)") if input.password_policy == null

results contains result.pass(result.account, "The password policy requires a symbol (a non-alphanumeric character).") if {
	input.password_policy.require_symbols == true
}

results contains result.fail(result.account, "The password policy does not require a symbol (a non-alphanumeric character).") if {
	input.password_policy != null
	input.password_policy.require_symbols == false
}
