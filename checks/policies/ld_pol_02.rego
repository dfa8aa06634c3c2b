# METADATA
# title: No customer managed policy allows "*" on "*"
# description: |
#   Security Hub IAM.1: the default version of each customer managed policy
#   has no statement with "Effect": "Allow" whose Action covers every action
#   over Resource "*". The control page checks customer managed policies only
#   (not inline or AWS managed ones) and does not limit itself to attached
#   policies, so every customer managed policy gets a result, attached or not.
#   The statement is read by the policy engine's matcher: "*", ["*"], "*:*",
#   an empty NotAction and a NotAction of no real action all cover every
#   action; "NotResource": "*" grants nothing and passes. Conditions do not
#   matter (a conditional "*" on "*" is still one). With
#   exclude_permission_boundary_policy (default true, IAM.1's
#   excludePermissionBoundaryPolicy) a policy used only as a permissions
#   boundary passes. A default version that cannot be read is NOT_ASSESSED.
#   Source: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1
# custom:
#   id: LD-POL-02
#   severity: high
#   section: IAM Policies
#   requires: [authorization_details]
#   params:
#     exclude_permission_boundary_policy: true
#   remediation: |
#     Create a new default version that grants only the actions needed:
#       aws iam create-policy-version --policy-arn POLICY_ARN --policy-document file://least-privilege.json --set-as-default
#     Console: IAM > Policies > POLICY > Edit.
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1
package lockdown.checks.ld_pol_02

import data.lockdown.lib.attached
import data.lockdown.lib.result

customer contains p if {
	some p in input.policies
	not p.aws_managed
}

boundary_only(arn) if {
	input.params.exclude_permission_boundary_policy
	arn in attached.boundaries
	not arn in attached.attached_set
}

results contains verdict(p, input.policy_grants.managed[p.arn]) if some p in customer

verdict(p, g) := result.pass(result.policy(p), msg) if {
	boundary_only(p.arn)
	msg := sprintf("%s is used only as a permissions boundary, which Security Hub IAM.1 excludes.", [p.name])
} else := result.not_assessed(result.policy(p), msg) if {
	g.error != ""
	msg := sprintf("%s cannot be read: %s.", [p.name, g.error])
} else := result.with_evidence(result.fail(result.policy(p), msg), ev) if {
	count(g.star_statements) > 0
	msg := sprintf("%s allows every action on \"*\" (statement %s).", [p.name, concat(", ", g.star_statements)])
	ev := {"actions": ["*"], "resources": ["*"], "statements": g.star_statements}
} else := result.pass(result.policy(p), msg) if {
	msg := sprintf("%s has no statement allowing every action on \"*\".", [p.name])
}

results contains result.pass(result.account, "The account has no customer managed policies.") if count(customer) == 0
