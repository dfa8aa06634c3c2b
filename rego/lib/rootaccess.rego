# METADATA
# description: |
#   Verdicts for AWS Organizations centralised root access
#   (iam:ListOrganizationsFeatures), shared by LD-ORG-01 and LD-ORG-02.
#   Outside any organization the feature does not exist: NOT_APPLICABLE,
#   saying so. Where the API could not tell (not the management account or
#   the delegated administrator, or the snapshot says nothing) NOT_ASSESSED,
#   naming the answer. Otherwise PASS when the feature is enabled, FAIL when
#   it is not (including organizations where it cannot be enabled: not in
#   all-features mode, or IAM trusted access not enabled).
package lockdown.lib.rootaccess

import data.lockdown.lib.result

of := input.organizations_features

# verdicts(feature, enabled, purpose): feature is the API's feature name,
# enabled whether it is on (ignored when unknown), purpose what it does.
verdicts(feature, enabled, purpose) := ((({result.not_assessed(result.account, msg) |
	of == null
	msg := sprintf("Whether %s is enabled cannot be checked: iam:ListOrganizationsFeatures was not usable.", [feature])
} | {result.not_assessed(result.account, msg) |
	of != null
	not of.known
	msg := sprintf("Whether %s is enabled cannot be checked: %s.", [feature, unknown_reason])
}) | {result.not_applicable(result.account, msg) |
	of.known
	of.in_organization == false
	msg := sprintf("The account is in no AWS organization (iam:ListOrganizationsFeatures: %s), so centralised root access (%s) does not apply; LD-ROOT-01..04 judge the root user's own credentials.", [answer, feature])
}) | {result.pass(result.account, msg) |
	of.known
	of.in_organization == true
	enabled
	msg := sprintf("%s is enabled for organization %s: %s.", [feature, org_id, purpose])
}) | {result.fail(result.account, msg) |
	of.known
	of.in_organization == true
	not enabled
	msg := sprintf("%s is not enabled for organization %s%s. Enable it (IAM > Root access management) so that %s.", [feature, org_id, cannot, purpose])
}

answer := of.answer_code if of.answer_code != ""

answer := "OrganizationNotFound" if of.answer_code == ""

unknown_reason := sprintf("iam:ListOrganizationsFeatures answered %s (%s); it answers only in the organization's management account or the delegated administrator for centralised root access, so audit that account", [of.answer_code, of.answer_message]) if {
	of.answer_code != ""
}

unknown_reason := "iam:ListOrganizationsFeatures returned no organization and the snapshot does not say why, so whether the account is in an organization is unknown" if {
	of.answer_code == ""
}

org_id := of.organization_id if of.organization_id != ""

org_id := "(ID not returned)" if of.organization_id == ""

cannot := sprintf(" (iam:ListOrganizationsFeatures answered %s: %s)", [of.answer_code, of.answer_message]) if of.answer_code != ""

cannot := "" if of.answer_code == ""
