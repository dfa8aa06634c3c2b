# METADATA
# title: Passwords expire within {password_expiry_max_days} days
# description: |
#   Security Hub IAM.17 (CIS v1.2 1.11): the account password policy must
#   expire passwords (ExpirePasswords, MaxPasswordAge set) after at most
#   password_expiry_max_days (default 90) days. No password policy at all is
#   a FAIL (IAM's default passwords never expire). One result, on the account.
#   Source: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-17
# custom:
#   id: LD-PWD-10
#   severity: low
#   section: IAM Policies
#   requires: [password_policy]
#   params:
#     password_expiry_max_days: 90
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom, then tick
#     "Turn on password expiration" and set 90 days.
#     AWS CLI (update-account-password-policy replaces the whole policy: repeat
#     the settings you keep):
#       aws iam update-account-password-policy --max-password-age 90 \
#         --minimum-password-length 14 --password-reuse-prevention 24 \
#         --require-uppercase-characters --require-lowercase-characters \
#         --require-symbols --require-numbers --allow-users-to-change-password
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-17
package lockdown.checks.ld_pwd_10

import data.lockdown.lib.password
import data.lockdown.lib.result

days := input.params.password_expiry_max_days

pp := input.password_policy if input.password_policy != null

expires(p) if {
	p.expire_passwords == true
	p.max_password_age != null
	p.max_password_age > 0
	p.max_password_age <= days
}

results contains password.no_policy(sprintf("passwords to expire within %d days", [days])) if input.password_policy == null

results contains result.pass(result.account, msg) if {
	expires(pp)
	msg := sprintf("Passwords expire after %d days (want at most %d).", [pp.max_password_age, days])
}

results contains result.fail(result.account, msg) if {
	input.password_policy != null
	not expires(pp)
	msg := sprintf("Passwords %s; they should expire within %d days.", [age_phrase(pp), days])
}

age_phrase(p) := sprintf("expire after %d days", [p.max_password_age]) if {
	p.expire_passwords == true
	p.max_password_age != null
} else := "never expire"
