# METADATA
# title: Admin roles issue sessions of at most {admin_max_session_seconds} seconds
# description: |
#   The guide's point of assuming AdminRole is that its credentials are
#   temporary and "only good for one hour". A role is an admin role when the
#   IAM policy engine finds it administrator-equivalent: its policies allow
#   any action, or an action that grants permissions to anyone (attach or put
#   a policy, create a policy version, change a trust policy, ...), whatever
#   the role is called. Each admin role's MaxSessionDuration must be at most
#   admin_max_session_seconds (default 3600). Service-linked roles are skipped.
# custom:
#   id: LD-ADM-04
#   severity: medium
#   section: IAM Roles
#   guide_step: "The assumed role uses transparent temporary credentials that are only good for one hour."
#   requires: [authorization_details]
#   params:
#     admin_max_session_seconds: 3600
#   remediation: |
#     Lower the role's maximum session duration to one hour:
#       aws iam update-role --role-name ROLE --max-session-duration 3600
#     Console: IAM > Roles > ROLE > Summary > Maximum session duration > Edit > 1 hour.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html
package lockdown.checks.ld_adm_04

import data.lockdown.lib.iam
import data.lockdown.lib.result
import data.lockdown.lib.unknown

max_seconds := input.params.admin_max_session_seconds

# Sets of ARNs, not of role objects: cheaper to build and compare.
candidates contains arn if {
	some arn, r in input.roles
	not r.service_linked
}

# "Admin role" is decided by the IAM policy engine (input.iam): a role whose
# policies allow any action, or an action that grants permissions to anyone.
admin_roles contains arn if {
	some arn in candidates
	input.iam.roles[arn].admin
}

evidence(arn) := sprintf("%s allows %s", [g.policy, iam.action_phrase(g.action)]) if {
	g := input.iam.roles[arn].admin_evidence[0]
} else := "its policies grant administrator-equivalent access"

# Every grant that makes the role an admin role, not only the one named.
results contains result.with_evidence(verdict(arn, input.roles[arn]), iam.grants_evidence(input.iam.roles[arn].admin_evidence)) if {
	some arn in admin_roles
}

verdict(arn, r) := result.not_assessed(result.role(r), msg) if {
	r.max_session_duration == null
	msg := sprintf("%s is an admin role (%s) but its MaxSessionDuration is not in the snapshot.", [r.name, evidence(arn)])
} else := result.fail(result.role(r), msg) if {
	r.max_session_duration > max_seconds
	msg := sprintf("%s is an admin role (%s) and allows sessions of %d seconds. The guide wants admin credentials good for at most %d seconds.", [r.name, evidence(arn), r.max_session_duration, max_seconds])
} else := result.pass(result.role(r), msg) if {
	msg := sprintf("%s is an admin role (%s) and limits sessions to %d seconds.", [r.name, evidence(arn), r.max_session_duration])
}

results contains r if some r in unknown.policy(unknown.roles, "The admin session length")

results contains result.pass(result.account, "No role is administrator-equivalent, so no admin session length to limit.") if {
	count(admin_roles) == 0
	not unknown.any_policy(unknown.roles)
}
