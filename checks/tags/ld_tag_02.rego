# METADATA
# title: IAM users are tagged
# description: |
#   Security Hub IAM.25: every IAM user has a tag other than the system tags
#   (keys beginning with "aws:", which are ignored). The control's optional
#   requiredTagKeys is the parameter required_user_tag_keys (comma-separated,
#   case-sensitive keys; default empty, meaning any non-system tag will do):
#   when set, every listed key must be present. Tags come from
#   GetAccountAuthorizationDetails. One result per IAM user; an account
#   without any gets one account PASS. Users the snapshot does not describe (a credential report row GetAccountAuthorizationDetails does not list) are NOT_ASSESSED. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-25
# custom:
#   id: LD-TAG-02
#   severity: low
#   section: IAM Policies
#   requires: [authorization_details]
#   params:
#     required_user_tag_keys: ""
#   remediation: |
#     Tag it, for example with its owner:
#       aws iam tag-user --user-name USER --tags Key=owner,Value=TEAM
#     Console: IAM > Users > USER > Tags > Add tags.
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-25
package lockdown.checks.ld_tag_02

import data.lockdown.lib.attached
import data.lockdown.lib.result
import data.lockdown.lib.tags
import data.lockdown.lib.unknown

keys := input.params.required_user_tag_keys

results contains result.fail(result.user(e.arn, e.name), msg) if {
	some e in input.users
	problem := tags.problem(object.get(e, "tags", {}), keys)
	msg := sprintf("%s %s.", [e.name, problem])
}

results contains result.pass(result.user(e.arn, e.name), msg) if {
	some e in input.users
	not tags.problem(object.get(e, "tags", {}), keys)
	msg := sprintf("%s is tagged (%s).", [e.name, concat(", ", sort(tags.user_keys(object.get(e, "tags", {}))))])
}

results contains r if some r in attached.undescribed(unknown.users, "Tags")

results contains result.pass(result.account, "The account has no IAM users.") if {
	count(input.users) == 0
	not attached.any_undescribed(unknown.users)
}
