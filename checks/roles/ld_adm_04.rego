# METADATA
# title: Admin roles issue sessions of at most one hour
# description: |
#   The guide's point of assuming AdminRole is that its credentials are
#   temporary and "only good for one hour". A role is treated as an admin role
#   when a policy attached to it (managed or inline) allows "*" on "*", or it
#   has AWS's AdministratorAccess; that is the structural approximation of
#   lockdown.lib.policy. Each admin role's MaxSessionDuration must be at most
#   admin_max_session_seconds (default 3600). Service-linked roles are skipped;
#   a role whose policy documents are missing is not assessed.
# custom:
#   id: LD-ADM-04
#   severity: medium
#   section: IAM Roles
#   guide_step: "The assumed role uses transparent temporary credentials that are only good for one hour."
#   cis: []
#   security_hub: []
#   requires: [authorization_details]
#   params:
#     admin_max_session_seconds: 3600
#   remediation: |
#     Lower the role's maximum session duration to one hour:
#       aws iam update-role --role-name ROLE --max-session-duration 3600
#     Console: IAM > Roles > ROLE > Summary > Maximum session duration > Edit > 1 hour.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html
package lockdown.checks.ld_adm_04

import data.lockdown.lib.policy
import data.lockdown.lib.result

max_seconds := input.params.admin_max_session_seconds

# Sets of ARNs, not of role objects: cheaper to build and compare.
candidates contains arn if {
	some arn, r in input.roles
	not r.service_linked
}

admin_roles contains arn if {
	some arn in candidates
	policy.is_admin(input.roles[arn])
}

unknown_roles contains arn if {
	some arn in candidates
	not admin_roles[arn]
	count(policy.unknown_policies(input.roles[arn])) > 0
}

grants(r) := concat(", ", sort(policy.admin_managed_policies(r) | {sprintf("inline:%s", [n]) | some n in policy.admin_inline_policies(r)}))

results contains verdict(input.roles[arn]) if some arn in admin_roles

verdict(r) := result.not_assessed(result.role(r), msg) if {
	r.max_session_duration == null
	msg := sprintf("%s grants full admin (%s) but its MaxSessionDuration is not in the snapshot.", [r.name, grants(r)])
} else := result.fail(result.role(r), msg) if {
	r.max_session_duration > max_seconds
	msg := sprintf("%s grants full admin (%s) and allows sessions of %d seconds. The guide wants admin credentials good for at most %d seconds.", [r.name, grants(r), r.max_session_duration, max_seconds])
} else := result.pass(result.role(r), msg) if {
	msg := sprintf("%s grants full admin (%s) and limits sessions to %d seconds.", [r.name, grants(r), r.max_session_duration])
}

# A role that is not admin on what we can see, but has policies we cannot
# read, might still be one.
results contains result.not_assessed(result.role(r), msg) if {
	some arn in unknown_roles
	r := input.roles[arn]
	msg := sprintf("Cannot tell whether %s is an admin role: the documents of %s are not in the snapshot.", [r.name, concat(", ", sort(policy.unknown_policies(r)))])
}

results contains result.pass(result.account, "No role has a policy that allows \"*\" on \"*\".") if {
	count(admin_roles) == 0
	count(unknown_roles) == 0
}
