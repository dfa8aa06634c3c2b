# METADATA
# title: The password policy meets Security Hub IAM.10 (PCI DSS)
# description: |
#   Security Hub IAM.10 checks the account password policy against PCI DSS's
#   minimum configuration, as its control page lists it: upper-case letters,
#   lower-case letters and numbers required, a minimum length of at least
#   pci_password_min_length (7), reuse prevention of at least
#   pci_password_reuse_prevention (4) and passwords expiring within
#   pci_password_max_age_days (90) days. Symbols are not part of it. No
#   password policy at all is a FAIL. One result, on the account, naming
#   every unmet requirement. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-10
# custom:
#   id: LD-PWD-05
#   severity: medium
#   section: IAM Policies
#   requires: [password_policy]
#   params:
#     pci_password_min_length: 7
#     pci_password_reuse_prevention: 4
#     pci_password_max_age_days: 90
#   remediation: |
#     Console: IAM > Account settings > Password policy > Edit > Custom.
#     AWS CLI (update-account-password-policy replaces the whole policy):
#       aws iam update-account-password-policy --minimum-password-length 14 \
#         --require-uppercase-characters --require-lowercase-characters \
#         --require-numbers --require-symbols --password-reuse-prevention 24 \
#         --max-password-age 90 --allow-users-to-change-password
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-10
package lockdown.checks.ld_pwd_05

import data.lockdown.lib.password
import data.lockdown.lib.result

p := input.params

pp := input.password_policy if input.password_policy != null

results contains password.no_policy("what Security Hub IAM.10 (PCI DSS) requires") if input.password_policy == null

problems contains "upper-case letters are not required" if not pp.require_uppercase_characters

problems contains "lower-case letters are not required" if not pp.require_lowercase_characters

problems contains "numbers are not required" if not pp.require_numbers

problems contains sprintf("minimum length is %s (want at least %d)", [password.number(pp.minimum_password_length), p.pci_password_min_length]) if {
	not password.at_least(pp.minimum_password_length, p.pci_password_min_length)
}

problems contains sprintf("password reuse prevention is %s (want at least %d)", [password.number(pp.password_reuse_prevention), p.pci_password_reuse_prevention]) if {
	not password.at_least(pp.password_reuse_prevention, p.pci_password_reuse_prevention)
}

problems contains sprintf("passwords do not expire within %d days", [p.pci_password_max_age_days]) if {
	not expires_within(pp, p.pci_password_max_age_days)
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
	msg := sprintf("The password policy does not meet Security Hub IAM.10 (PCI DSS): %s.", [concat("; ", sort(problems))])
}

results contains result.pass(result.account, msg) if {
	input.password_policy != null
	count(problems) == 0
	msg := sprintf("The password policy meets Security Hub IAM.10 (PCI DSS): length %d, reuse prevention %d, expiry after %d days.", [pp.minimum_password_length, pp.password_reuse_prevention, pp.max_password_age])
}
