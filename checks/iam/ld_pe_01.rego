# METADATA
# title: No principal can escalate to administrator
# description: |
#   lockdown builds a graph of the account's users, groups (as a member of
#   only that group would hold them) and roles, joined by the steps of the
#   embedded privilege-escalation catalogue (70 methods from
#   pathfinding.cloud and Cloudsplaining: editing a policy, passing a role to
#   a new Lambda function or EC2 instance, taking over another user's access
#   keys or console password, rewriting a trust policy, taking over an
#   existing instance or function that runs with a role, assuming a role).
#   Every step is decided by the IAM policy engine: each required action
#   must be allowed on a resource the method needs, in one request context,
#   after explicit denies and permissions boundaries, so that iam:PassRole
#   limited to a harmless role, or allowed only with MFA, is judged as AWS
#   would. A principal FAILs when a path to administrator-equivalent power
#   exists (the shortest one, with its request context, is the message;
#   evidence.paths has every context's). Reaching an administrator role
#   purely by sts:AssumeRole is the guide's admin route (LD-ADM-02/03), not
#   an escalation. A path through resources lockdown does not know (an
#   inventory not collected or that failed, such as CodeBuild projects or an
#   EC2 region that could not be listed) is possible: NOT_ASSESSED, naming
#   it, unless a definite path also exists. Principals that already are
#   administrator-equivalent PASS, saying so (LD-ADM-01 judges them).
# custom:
#   id: LD-PE-01
#   severity: critical
#   section: IAM Roles
#   guide_step: "This set up ensures that when making use of our admin permissions we assume the role and need to enter a MFA token in order for it to work."
#   requires: [authorization_details]
#   remediation: |
#     Remove the step the path names (the statement in the evidence), or narrow it:
#     scope iam:PassRole to the roles a service needs and set iam:PassedToService,
#     scope iam:CreateAccessKey / iam:*LoginProfile to ${aws:username}, never allow
#     policy or trust-policy edits on a principal's own or a more privileged role,
#     or set a permissions boundary that denies them. For example:
#       aws iam put-role-policy --role-name ROLE --policy-name ... --policy-document file://narrowed.json
#       aws iam put-user-permissions-boundary --user-name USER --permissions-boundary arn:aws:iam::ACCOUNT_ID:policy/Boundary
#     Console: IAM > Users or Roles > Permissions.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
package lockdown.checks.ld_pe_01

import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains verdict(v) if some v in input.escalation

results contains r if some r in unknown.policy(unknown.principals, "Privilege-escalation paths")

results contains result.pass(result.account, "The account has no user, group or role to judge.") if {
	count(input.escalation) == 0
	not unknown.any_policy(unknown.principals)
}

resource(v) := result.user(v.arn, v.name) if v.type == "user"

resource(v) := result.role(v) if v.type == "role"

resource(v) := result.group(v) if v.type == "group"

definite(v) := [p | some p in v.paths; not p.possible]

possible(v) := [p | some p in v.paths; p.possible]

verdict(v) := result.pass(resource(v), sprintf("%s is already administrator-equivalent (%s)%s, not an escalation.", [
	label(v), context_phrase[v.admin_context], judged_by[v.type],
])) if {
	v.admin
} else := result.with_evidence(result.fail(resource(v), msg), evidence(v.paths)) if {
	ps := definite(v)
	count(ps) > 0
	msg := sprintf("%s can escalate to administrator: %s.%s", [label(v), ps[0].summary, more(count(ps) - 1)])
} else := result.with_evidence(result.not_assessed(resource(v), msg), evidence(v.paths)) if {
	ps := possible(v)
	count(ps) > 0
	msg := sprintf("%s may be able to escalate to administrator, through resources lockdown does not know (%s): %s.", [
		label(v), ps[0].unknown, ps[0].summary,
	])
} else := result.pass(resource(v), sprintf("%s has no path to administrator-equivalent power.", [label(v)]))

label(v) := sprintf("Group %s (as a member would hold it)", [v.name]) if v.type == "group"

label(v) := sprintf("Role %s", [v.name]) if v.type == "role"

label(v) := v.name if v.type == "user"

more(0) := ""

more(n) := sprintf(" (%d more %s in the evidence.)", [n, plural(n)]) if n > 0

plural(1) := "path"

plural(n) := "paths" if n != 1

judged_by := {"user": "; LD-ADM-01 judges that power", "group": "; LD-ADM-01 judges that power", "role": ""}

context_phrase := {
	"access_key": "with long-term access keys",
	"session_no_mfa": "in a session without MFA",
	"mfa_session": "in an MFA session",
}

evidence(paths) := {
	"paths": paths,
	"actions": {a.action | some p in paths; some s in p.steps; some a in s.actions},
	"principals": {x | some p in paths; some s in p.steps; some x in [s.from, s.to]},
	"statements": {sprintf("%s statement %s", [a.policy, a.statement]) | some p in paths; some s in p.steps; some a in s.actions},
	"contexts": {p.context | some p in paths},
	"items": {sprintf("%s", [concat(" -> ", p.method_ids)]) | some p in paths},
}
