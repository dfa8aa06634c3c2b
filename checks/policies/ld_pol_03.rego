# METADATA
# title: No customer managed policy allows every action of a service
# description: |
#   Security Hub IAM.21: no statement of a customer managed policy's default
#   version has "Effect": "Allow" with an Action that grants every action of
#   a service ("s3:*"). Read by the policy engine's matcher: a statement fails
#   when it covers every action the Service Authorization Reference lists for
#   a service and any action the service may add (so "s3:*" and "S3:*" fail,
#   "ec2:Describe*" passes). "*" grants every action of every service and
#   fails. NotAction is treated as the control page says: an Allow with
#   NotAction grants every action of each service it does not exclude
#   entirely, so "NotAction": "s3:*" fails for every other service. The
#   Resource does not matter (the control is about actions), except that
#   "NotResource": "*" grants nothing. Conditions do not matter. AWS managed
#   and inline policies are not examined (the control's scope); with
#   exclude_permission_boundary_policy (default true) a policy used only as
#   a permissions boundary passes. Every customer managed policy, attached
#   or not, gets a result; one that cannot be read is NOT_ASSESSED. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21
# custom:
#   id: LD-POL-03
#   severity: low
#   section: IAM Policies
#   requires: [authorization_details]
#   params:
#     exclude_permission_boundary_policy: true
#   remediation: |
#     List the actions needed (or a prefix such as "ec2:Describe*") instead of
#     "service:*", then make that the default version:
#       aws iam create-policy-version --policy-arn POLICY_ARN --policy-document file://scoped.json --set-as-default
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21
package lockdown.checks.ld_pol_03

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

phrase(w) := sprintf("statement %s (Action %s) allows every action", [w.statement, concat(", ", w.patterns)]) if {
	w.all_actions
	not w.not_action
}

phrase(w) := sprintf("statement %s (NotAction %s) allows every action of %d services", [w.statement, concat(", ", w.patterns), count(w.services)]) if w.not_action

phrase(w) := sprintf("statement %s allows %s", [w.statement, concat(", ", w.actions)]) if {
	not w.all_actions
	not w.not_action
}

results contains verdict(p, input.policy_grants.managed[p.arn]) if some p in customer

verdict(p, g) := result.pass(result.policy(p), msg) if {
	boundary_only(p.arn)
	msg := sprintf("%s is used only as a permissions boundary, which Security Hub IAM.21 excludes.", [p.name])
} else := result.not_assessed(result.policy(p), msg) if {
	g.error != ""
	msg := sprintf("%s cannot be read: %s.", [p.name, g.error])
} else := result.with_evidence(result.fail(result.policy(p), msg), ev) if {
	count(g.service_wildcards) > 0
	msg := sprintf("%s grants whole services: %s.", [p.name, concat("; ", [phrase(w) | some w in g.service_wildcards])])
	ev := {
		"actions": [a | some w in g.service_wildcards; some a in w.actions],
		"statements": [w.statement | some w in g.service_wildcards],
	}
} else := result.pass(result.policy(p), msg) if {
	msg := sprintf("%s grants no service's every action.", [p.name])
}

results contains result.pass(result.account, "The account has no customer managed policies.") if count(customer) == 0
