# METADATA
# title: The password policy meets Security Hub IAM.7's parameters
# description: |
#   Security Hub IAM.7 ("Password policies for IAM users should have strong
#   configurations") with its documented defaults: upper-case letters,
#   lower-case letters, symbols and numbers required, and a minimum length of
#   at least 8 (sh_password_min_length). Its optional PasswordReusePrevention
#   and MaxPasswordAge have no default: sh_password_reuse_prevention and
#   sh_password_max_age_days are checked only when set above 0. Each
#   require_* parameter set to false drops that requirement, as IAM.7's do.
#   No password policy at all is a FAIL (AWS Config's iam-password-policy
#   rule is NON_COMPLIANT for the default policy). One result, on the
#   account, naming every unmet parameter. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7
# custom:
#   id: LD-PWD-04
#   severity: medium
#   section: IAM Policies
#   requires: [password_policy]
#   params:
#     sh_require_uppercase: true
#     sh_require_lowercase: true
#     sh_require_symbols: true
#     sh_require_numbers: true
#     sh_password_min_length: 8
#     sh_password_reuse_prevention: 0
#     sh_password_max_age_days: 0
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom: require
#     all four character types and a minimum length of at least 8.
#     AWS CLI (update-account-password-policy replaces the whole policy):
#       aws iam update-account-password-policy --minimum-password-length 14 \
#         --require-uppercase-characters --require-lowercase-characters \
#         --require-symbols --require-numbers --password-reuse-prevention 24 \
#         --allow-users-to-change-password
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7
package lockdown.checks.ld_pwd_04

import data.lockdown.lib.password
import data.lockdown.lib.result

p := input.params

pp := input.password_policy if input.password_policy != null

results contains password.no_policy("what Security Hub IAM.7 requires") if input.password_policy == null

problems contains "upper-case letters are not required" if {
	p.sh_require_uppercase
	not pp.require_uppercase_characters
}

problems contains "lower-case letters are not required" if {
	p.sh_require_lowercase
	not pp.require_lowercase_characters
}

problems contains "symbols are not required" if {
	p.sh_require_symbols
	not pp.require_symbols
}

problems contains "numbers are not required" if {
	p.sh_require_numbers
	not pp.require_numbers
}

problems contains sprintf("minimum length is %s (want at least %d)", [password.number(pp.minimum_password_length), p.sh_password_min_length]) if {
	not password.at_least(pp.minimum_password_length, p.sh_password_min_length)
}

problems contains sprintf("password reuse prevention is %s (want at least %d)", [password.number(pp.password_reuse_prevention), p.sh_password_reuse_prevention]) if {
	p.sh_password_reuse_prevention > 0
	not password.at_least(pp.password_reuse_prevention, p.sh_password_reuse_prevention)
}

problems contains sprintf("passwords do not expire within %d days", [p.sh_password_max_age_days]) if {
	p.sh_password_max_age_days > 0
	not expires_within(pp, p.sh_password_max_age_days)
}

expires_within(x, days) if {
	x.expire_passwords == true
	x.max_password_age != null
	x.max_password_age > 0
	x.max_password_age <= days
}

results contains result.fail(result.account, msg) if {
	input.password_policy != null
	count(problems) > 0
	msg := sprintf("The password policy does not meet Security Hub IAM.7: %s.", [concat("; ", sort(problems))])
}

results contains result.pass(result.account, msg) if {
	input.password_policy != null
	count(problems) == 0
	msg := sprintf("The password policy meets Security Hub IAM.7 (minimum length %d, character types as required).", [pp.minimum_password_length])
}
