# METADATA
# title: IAM Access Analyzer analyzers are tagged
# description: |
#   Security Hub IAM.23: every IAM Access Analyzer analyzer, of any type and
#   status, in every enabled region, has at least one tag key other than
#   AWS's system tags (keys beginning with aws:, which are ignored). When
#   analyzer_required_tag_keys is set (a comma-separated list of keys, case
#   sensitive, like IAM.23's requiredTagKeys parameter), every one of those
#   keys must be present too. One result per analyzer; a region whose
#   analyzers could not all be listed is NOT_ASSESSED (the analyzers read
#   there before the error are still judged). No analyzer in any region read
#   completely is one PASS on the account.
# custom:
#   id: LD-AA-02
#   severity: low
#   section: IAM Access Analyzer
#   requires: [regions, access_analyzers]
#   params:
#     analyzer_required_tag_keys: ""
#   remediation: |
#     Console: IAM > Access analyzer > Analyzer settings > the analyzer > Tags > Manage tags.
#     AWS CLI:
#       aws accessanalyzer tag-resource --region REGION \
#         --resource-arn ANALYZER_ARN --tags Owner=security-team
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-23
package lockdown.checks.ld_aa_02

import data.lockdown.lib.regional
import data.lockdown.lib.result

required := {k | some part in split(input.params.analyzer_required_tag_keys, ","); k := trim_space(part); k != ""}

analyzers contains a if {
	some entry in input.analyzers
	some a in entry.analyzers
}

resource(a) := {"arn": a.arn, "type": "AWS::AccessAnalyzer::Analyzer", "name": a.name}

results contains r if some r in regional.no_regions("The analyzers' tags")

results contains r if some r in regional.not_assessed(input.analyzer_unknown, "The tags of every analyzer")

results contains verdict(a) if some a in analyzers

verdict(a) := result.fail(resource(a), msg) if {
	count(a.user_tag_keys) == 0
	msg := sprintf("Analyzer %s (%s, %s) has no tags other than AWS system tags (aws:). Tag it, e.g. with its owner.", [a.name, a.region, a.type])
} else := result.with_evidence(result.fail(resource(a), msg), {"items": sort(missing)}) if {
	missing := [k | some k in required; not k in {x | some x in a.user_tag_keys}]
	count(missing) > 0
	msg := sprintf("Analyzer %s (%s, %s) lacks the required tag key(s) %s; it has %s.", [a.name, a.region, a.type, regional.names(missing), regional.names(a.user_tag_keys)])
} else := result.with_evidence(result.pass(resource(a), msg), {"items": a.user_tag_keys}) if {
	msg := sprintf("Analyzer %s (%s, %s) is tagged: %s.", [a.name, a.region, a.type, regional.names(a.user_tag_keys)])
}

results contains result.pass(result.account, "No IAM Access Analyzer analyzer exists in the enabled regions, so there is nothing to tag (LD-AA-01 judges whether one should).") if {
	input.regions != null
	count(input.regions) > 0
	count(analyzers) == 0
	count(input.analyzer_unknown) == 0
}
