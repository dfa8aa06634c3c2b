# METADATA
# title: A security alternate contact is registered
# description: |
#   CIS 1.2: AWS sends security notifications to the account's security
#   alternate contact as well as to the root user's address. It passes when
#   account:GetAlternateContact (type SECURITY) returns a contact with an
#   email address; no such contact, or one without an email, fails. The
#   other items of CIS 1.1 (contact details) stay manual.
# custom:
#   id: LD-ACCT-01
#   severity: low
#   section: Account
#   requires: [security_contact]
#   remediation: |
#     Console: Account (top right menu) > Alternate contacts > Security > Edit.
#     AWS CLI:
#       aws account put-alternate-contact --alternate-contact-type SECURITY \
#         --name "Security team" --title "Security" \
#         --email-address security@example.com --phone-number "+1-555-0100"
#   docs_url: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html
package lockdown.checks.ld_acct_01

import data.lockdown.lib.result

contact := input.security_contact

results contains result.not_assessed(result.account, "The security alternate contact cannot be checked: account:GetAlternateContact was not usable.") if {
	contact == null
}

results contains result.fail(result.account, msg) if {
	contact != null
	not contact.registered
	msg := "No security alternate contact is registered, so AWS security notifications reach only the root user's address. Register one (account put-alternate-contact --alternate-contact-type SECURITY)."
}

results contains result.fail(result.account, msg) if {
	contact.registered
	contact.email == ""
	msg := sprintf("The security alternate contact (%s) has no email address. Add one.", [name])
}

results contains result.pass(result.account, msg) if {
	contact.registered
	contact.email != ""
	msg := sprintf("A security alternate contact is registered: %s <%s>.", [name, contact.email])
}

name := contact.name if contact.name != ""

name := "no name" if contact.name == ""
