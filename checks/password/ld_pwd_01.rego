# METADATA
# title: IAM password policy is strong
# description: |
#   IAM users set their own console passwords, so the account password policy
#   decides how strong they are. CIS AWS Foundations v5.0 asks for a minimum
#   length of 14 (1.7) and remembering 24 previous passwords (1.8); lockdown
#   also requires upper- and lower-case letters, numbers and symbols, and that
#   users may change their own password (the guide has every user set their
#   password and MFA themselves). Password expiry is only required when
#   password_max_age_days is set above 0. All thresholds are parameters.
# custom:
#   id: LD-PWD-01
#   severity: medium
#   section: IAM Policies
#   guide_step: "IAMRequireMFA: allow all IAM users the ability to set a password and configure MFA on their IAM user account."
#   requires: [password_policy]
#   params:
#     password_min_length: 14
#     password_reuse_prevention: 24
#     password_max_age_days: 0
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom, then set
#     the minimum length, require all four character types, allow users to
#     change their own password and prevent reuse of 24 passwords.
#     AWS CLI:
#       aws iam update-account-password-policy --minimum-password-length 14 \
#         --require-symbols --require-numbers --require-uppercase-characters \
#         --require-lowercase-characters --allow-users-to-change-password \
#         --password-reuse-prevention 24
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
package lockdown.checks.ld_pwd_01

import data.lockdown.lib.result

min_length := input.params.password_min_length

reuse := input.params.password_reuse_prevention

max_age := input.params.password_max_age_days

results contains result.fail(result.account, msg) if {
	input.password_policy == null
	msg := sprintf("No account password policy is set, so IAM defaults apply (no complexity, no reuse prevention). Set a policy with a minimum length of %d, all character types and reuse prevention of %d.", [min_length, reuse])
}

# pp is the policy; undefined when none is set.
pp := input.password_policy if input.password_policy != null

results contains verdict(pp)

number_or_unset(n) := sprintf("%d", [n]) if n != null

number_or_unset(n) := "not set" if n == null

problems contains sprintf("minimum length is %s (want at least %d)", [number_or_unset(pp.minimum_password_length), min_length]) if {
	not pp.minimum_password_length >= min_length
}

problems contains sprintf("password reuse prevention is %s (want at least %d)", [number_or_unset(pp.password_reuse_prevention), reuse]) if {
	not pp.password_reuse_prevention >= reuse
}

problems contains "symbols are not required" if not pp.require_symbols

problems contains "numbers are not required" if not pp.require_numbers

problems contains "upper-case letters are not required" if not pp.require_uppercase_characters

problems contains "lower-case letters are not required" if not pp.require_lowercase_characters

problems contains "users may not change their own password" if not pp.allow_users_to_change_password

problems contains sprintf("passwords do not expire within %d days", [max_age]) if {
	max_age > 0
	not expires_within(pp, max_age)
}

expires_within(p, days) if {
	p.expire_passwords
	p.max_password_age != null
	p.max_password_age <= days
}

verdict(p) := result.fail(result.account, msg) if {
	count(problems) > 0
	msg := sprintf("The password policy is weak: %s.", [concat("; ", sort(problems))])
} else := result.pass(result.account, msg) if {
	msg := sprintf("The password policy requires at least %d characters of all four types, prevents reuse of %d passwords and lets users change their own password.", [p.minimum_password_length, p.password_reuse_prevention])
}
