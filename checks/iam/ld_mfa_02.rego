# METADATA
# title: Self-service is scoped to the caller
# description: |
#   The guide's self-service statements use arn:aws:iam::*:user/${aws:username}
#   and arn:aws:iam::*:mfa/${aws:username}, so a user manages only their own
#   credentials. lockdown asks the IAM policy engine, under every request
#   context (access keys, a session without MFA, an MFA session), whether a
#   user may create, change or delete another user's login profile, access
#   keys or MFA devices. (iam:ChangePassword always acts on the caller and is
#   therefore not probed.)
# custom:
#   id: LD-MFA-02
#   severity: high
#   section: IAM Policies
#   guide_step: "IAMRequireMFA: allow all IAM users the ability to set a password and configure MFA on their IAM user account."
#   requires: [authorization_details]
#   remediation: |
#     Scope every self-service statement to the caller with policy variables,
#     as the guide does:
#       "Resource": ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:mfa/${aws:username}"]
#     and keep "Version": "2012-10-17" (policy variables are not substituted in
#     older versions). Publish the fix as a new default version:
#       aws iam create-policy-version --policy-arn arn:aws:iam::ACCOUNT_ID:policy/IAMRequireMFA --policy-document file://IAMRequireMFA.json --set-as-default
#     Console: IAM > Policies > IAMRequireMFA > Edit.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
package lockdown.checks.ld_mfa_02

import data.lockdown.lib.iam
import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains verdict(u) if some u in input.iam.users

results contains r if some r in unknown.policy(unknown.users, "Whether self-service is scoped to the caller")

verdict(u) := result.with_evidence(result.fail(result.user(u.arn, u.name), msg), iam.grants_evidence(u.other_users)) if {
	count(u.other_users) > 0
	g := u.other_users[0]
	msg := sprintf("%s can call %s on another user (%s) %s: allowed by %s. Self-service must be limited to the caller's own user and MFA device.%s", [
		u.name, g.action, g.resource, iam.context_phrase(g.context), iam.grant_source(g), iam.more(count(u.other_users) - 1),
	])
} else := result.pass(result.user(u.arn, u.name), msg) if {
	msg := sprintf("%s cannot manage another user's password, access keys or MFA devices.", [u.name])
}
