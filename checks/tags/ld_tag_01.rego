# METADATA
# title: IAM roles are tagged
# description: |
#   Security Hub IAM.24: every IAM role has a tag other than the system tags
#   (keys beginning with "aws:", which are ignored). The control's optional
#   requiredTagKeys is the parameter required_role_tag_keys (comma-separated,
#   case-sensitive keys; default empty, meaning any non-system tag will do):
#   when set, every listed key must be present. Tags come from
#   GetAccountAuthorizationDetails. One result per IAM role; an account
#   without any gets one account PASS. Service-linked roles are judged too: TagRole accepts them, so they can carry tags like any role. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-24
# custom:
#   id: LD-TAG-01
#   severity: low
#   section: IAM Policies
#   requires: [authorization_details]
#   params:
#     required_role_tag_keys: ""
#   remediation: |
#     Tag it, for example with its owner:
#       aws iam tag-role --role-name ROLE --tags Key=owner,Value=TEAM
#     Console: IAM > Roles > ROLE > Tags > Add tags.
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-24
package lockdown.checks.ld_tag_01

import data.lockdown.lib.attached
import data.lockdown.lib.result
import data.lockdown.lib.tags
import data.lockdown.lib.unknown

keys := input.params.required_role_tag_keys

results contains result.fail(result.role(e), msg) if {
	some e in input.roles
	problem := tags.problem(object.get(e, "tags", {}), keys)
	msg := sprintf("%s %s.", [e.name, problem])
}

results contains result.pass(result.role(e), msg) if {
	some e in input.roles
	not tags.problem(object.get(e, "tags", {}), keys)
	msg := sprintf("%s is tagged (%s).", [e.name, concat(", ", sort(tags.user_keys(object.get(e, "tags", {}))))])
}

results contains r if some r in attached.undescribed(unknown.roles, "Tags")

results contains result.pass(result.account, "The account has no IAM roles.") if {
	count(input.roles) == 0
	not attached.any_undescribed(unknown.roles)
}
