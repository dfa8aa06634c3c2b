# METADATA
# title: An active IAM Access Analyzer external-access analyzer in every enabled region
# description: |
#   IAM Access Analyzer finds resources shared outside the account or
#   organization, but only in the region where an analyzer runs. Every
#   enabled region (account:ListRegions) must have at least one analyzer of
#   an external-access type (ACCOUNT or ORGANIZATION) whose status is ACTIVE,
#   as Security Hub IAM.28 (Config rule iam-external-access-analyzer-enabled)
#   asks. Unused-access and internal-access analyzers do not count, nor do
#   analyzers that are CREATING, DISABLED or FAILED. Only the audited
#   account's own analyzers are listed: an organization analyzer run from the
#   delegated administrator account is not visible from a member account and
#   does not count there (as in the Config rule). One result per region
#   (the account, with the region as detail); a region whose analyzers could
#   not be listed is NOT_ASSESSED, naming the API error, and the other regions
#   are still judged.
# custom:
#   id: LD-AA-01
#   severity: medium
#   section: IAM Access Analyzer
#   requires: [regions, access_analyzers]
#   remediation: |
#     Console: IAM > Access analyzer > Analyzer settings > Create analyzer, choose
#     "Resource analysis - External access", in each enabled region.
#     AWS CLI (once per region):
#       aws accessanalyzer create-analyzer --analyzer-name external-access \
#         --type ACCOUNT --region REGION
#     (--type ORGANIZATION from the management or delegated administrator account).
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-external.html
package lockdown.checks.ld_aa_01

import data.lockdown.lib.regional
import data.lockdown.lib.result

what := "An active external-access analyzer"

results contains r if some r in regional.no_regions(what)

results contains r if some r in regional.not_assessed(input.analyzer_unknown, what)

# counted are the analyzers that satisfy the control in a region.
counted(entry) := [a | some a in entry.analyzers; a.external_access; a.status == "ACTIVE"]

results contains verdict(region, entry) if {
	some region, entry in input.analyzers
	not input.analyzer_unknown[region]
}

verdict(region, entry) := result.with_evidence(result.pass_detail(result.account, region, msg), {"items": [a.arn | some a in ok]}) if {
	ok := counted(entry)
	count(ok) > 0
	msg := sprintf("%s has an active external-access analyzer: %s.", [region, regional.names([sprintf("%s (%s)", [a.name, a.type]) | some a in ok])])
} else := result.with_evidence(result.fail_detail(result.account, region, msg), {"items": [a.arn | some a in entry.analyzers]}) if {
	count(entry.analyzers) > 0
	msg := sprintf("%s has no active external-access analyzer; its analyzers do not count: %s. Create an analyzer of type ACCOUNT or ORGANIZATION there.", [region, regional.names([why(a) | some a in entry.analyzers])])
} else := result.fail_detail(result.account, region, msg) if {
	msg := sprintf("%s has no IAM Access Analyzer analyzer. Create an external-access analyzer (type ACCOUNT or ORGANIZATION) there.", [region])
}

# why says why an analyzer does not count.
why(a) := sprintf("%s is %s, not an external-access one", [a.name, kind(a.type)]) if not a.external_access

why(a) := sprintf("%s is %s%s", [a.name, a.status, reason(a)]) if {
	a.external_access
	a.status != "ACTIVE"
}

kind(t) := "an unused-access analyzer" if endswith(t, "_UNUSED_ACCESS")

kind(t) := "an internal-access analyzer" if endswith(t, "_INTERNAL_ACCESS")

kind(t) := sprintf("a %s analyzer", [t]) if {
	not endswith(t, "_UNUSED_ACCESS")
	not endswith(t, "_INTERNAL_ACCESS")
}

reason(a) := sprintf(" (%s)", [a.status_reason]) if a.status_reason != ""

reason(a) := "" if a.status_reason == ""
