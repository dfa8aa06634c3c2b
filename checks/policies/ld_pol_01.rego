# METADATA
# title: No attached policy grants full administrative privileges
# description: |
#   CIS AWS Foundations v5.0 1.15: no IAM policy that allows full "*:*"
#   administrative privileges is attached to a user, group or role. Decided by
#   lockdown's policy engine, not by the text: a policy grants full admin when,
#   on its own (its own Deny statements included), it allows every action
#   (every action of the Service Authorization Reference and an action no
#   service defines; sts:GetCallerIdentity and sts:GetSessionToken, which no
#   policy controls, aside) on resource "*" in one of the request contexts
#   access_key, session_no_mfa or mfa_session, asked as a user's and as a
#   role session's policy. So "Action": "*", ["*"],
#   "*:*", an empty NotAction or a NotAction of no real action all count,
#   with or without an MFA condition; "Allow * NotResource *" grants nothing
#   and passes, as do Action "*" limited to some resources, NotAction "iam:*",
#   and a policy whose own Deny takes some action back. Conditions no request
#   context satisfies (aws:SourceVpc, ...) are not counted. Every managed
#   policy gets a result: attached ones FAIL or PASS, naming every holder; an
#   unattached policy passes (it grants nothing to anyone), whatever it says.
#   Every inline policy gets a result on its owner. A policy that cannot be
#   read is NOT_ASSESSED when attached; users, groups and roles whose
#   policies are not completely known are NOT_ASSESSED.
# custom:
#   id: LD-POL-01
#   severity: high
#   section: IAM Policies
#   requires: [authorization_details]
#   remediation: |
#     Replace the policy with one that grants only what its holders need, or
#     detach it:
#       aws iam detach-user-policy --user-name USER --policy-arn POLICY_ARN
#       aws iam detach-group-policy --group-name GROUP --policy-arn POLICY_ARN
#       aws iam detach-role-policy --role-name ROLE --policy-arn POLICY_ARN
#       aws iam delete-user-policy --user-name USER --policy-name NAME   (inline)
#     Console: IAM > Policies > POLICY > Entities attached > Detach.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html
package lockdown.checks.ld_pol_01

import data.lockdown.lib.attached
import data.lockdown.lib.result
import data.lockdown.lib.unknown

grants := input.policy_grants

evidence(g, holders) := {
	"actions": ["*"],
	"resources": ["*"],
	"statements": g.full_admin_statements,
	"contexts": [g.full_admin_context],
	"principals": holders,
}

results contains r if {
	some arn, p in input.policies
	r := managed(p, grants.managed[arn], object.get(attached.holders, arn, set()))
}

managed(p, g, holders) := result.pass(result.policy(p), msg) if {
	count(holders) == 0
	msg := sprintf("%s is not attached to any user, group or role.", [p.name])
} else := result.not_assessed(result.policy(p), msg) if {
	g.error != ""
	msg := sprintf("%s is attached to %s but cannot be read: %s.", [p.name, concat(", ", sort(holders)), g.error])
} else := result.with_evidence(result.fail(result.policy(p), msg), evidence(g, sort(holders))) if {
	g.full_admin
	msg := sprintf("%s allows every action on every resource (statement %s) and is attached to %s.", [p.name, concat(", ", g.full_admin_statements), concat(", ", sort(holders))])
} else := result.pass(result.policy(p), msg) if {
	msg := sprintf("%s is attached (%s) and does not allow every action on every resource.", [p.name, holders_phrase(holders)])
}

holders_phrase(holders) := "1 holder" if count(holders) == 1

holders_phrase(holders) := sprintf("%d holders", [count(holders)]) if count(holders) != 1

owners contains [arn, res, o.inline_policies] if {
	some arn, o in input.users
	res := result.user(arn, o.name)
}

owners contains [arn, result.group(o), o.inline_policies] if some arn, o in input.groups

owners contains [arn, result.role(o), o.inline_policies] if some arn, o in input.roles

results contains r if {
	some [arn, res, list] in owners
	some ip in list
	r := inline(res, ip.name, grants.inline[arn][ip.name])
}

inline(res, name, g) := result.not_assessed_detail(res, detail, msg) if {
	g.error != ""
	detail := sprintf("inline:%s", [name])
	msg := sprintf("%s's inline policy %s cannot be read: %s.", [res.name, name, g.error])
} else := result.with_evidence(result.fail_detail(res, detail, msg), evidence(g, [res.arn])) if {
	g.full_admin
	detail := sprintf("inline:%s", [name])
	msg := sprintf("%s's inline policy %s allows every action on every resource (statement %s).", [res.name, name, concat(", ", g.full_admin_statements)])
} else := result.pass_detail(res, sprintf("inline:%s", [name]), msg) if {
	msg := sprintf("%s's inline policy %s does not allow every action on every resource.", [res.name, name])
}

results contains r if some r in unknown.policy(unknown.principals, "Full administrative policies")

any_policy if some _ in input.policies

any_policy if {
	some [_, _, list] in owners
	count(list) > 0
}

results contains result.pass(result.account, "The account has no managed or inline policies.") if {
	not any_policy
	not unknown.any_policy(unknown.principals)
}
