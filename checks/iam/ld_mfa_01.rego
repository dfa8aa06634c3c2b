# METADATA
# title: Without MFA, IAM users can do nothing but self-service
# description: |
#   The guide's IAMRequireMFA policy denies everything except self-service
#   (see their own user, change their own password, list and manage their own
#   MFA device) unless the request was authenticated with MFA. lockdown asks
#   the IAM policy engine what each user may do with long-term access keys
#   (no MFA keys in the request at all) and with a session without MFA
#   (aws:MultiFactorAuthPresent=false): every action of IAM, a sample of every
#   service's actions at each access level, and every action the user's own
#   Allow statements name. Any allowed action outside self-service fails,
#   naming the action and the statement that allowed it. It also fails when
#   nothing extra is allowed today but no explicit Deny enforces MFA (a
#   non-IAM request without MFA is not denied): then the next grant, or the
#   guide's own Administrators setup, works without MFA. That is what a
#   missing Deny, or a Deny written with Bool aws:MultiFactorAuthPresent
#   false (which never matches long-term access keys), leaves open.
# custom:
#   id: LD-MFA-01
#   severity: high
#   section: IAM Policies
#   guide_step: "IAMRequireMFA: ensure that MFA is required for any other action the user wants to take."
#   requires: [authorization_details]
#   remediation: |
#     Attach the guide's IAMRequireMFA policy to a group every user belongs to,
#     keeping its final statement: Effect Deny, NotAction "iam:*", Resource "*",
#     Condition {"Null": {"aws:MultiFactorAuthAge": "true"}}. Do not write the
#     condition as {"Bool": {"aws:MultiFactorAuthPresent": "false"}}: requests
#     signed with long-term access keys carry no such key, so that deny never
#     applies to them ({"BoolIfExists": ...} is the equivalent form).
#     Remove grants of iam:* (or "*") that reach users directly or through
#     groups: the Deny exempts iam:*, so such grants work without MFA.
#       aws iam create-policy --policy-name IAMRequireMFA --policy-document file://IAMRequireMFA.json
#       aws iam attach-group-policy --group-name Users --policy-arn arn:aws:iam::ACCOUNT_ID:policy/IAMRequireMFA
#       aws iam add-user-to-group --group-name Users --user-name USER
#     Console: IAM > User groups > Users > Permissions > Add permissions > Attach policies.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
package lockdown.checks.ld_mfa_01

import data.lockdown.lib.iam
import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains verdict(u) if some u in input.iam.users

results contains r if some r in unknown.policy(unknown.users, "What works without MFA")

# The FAIL object with its evidence is built in one piece (not through
# result.with_evidence, which builds it twice): it runs for every user.
verdict(u) := {"status": "FAIL", "resource": result.user(u.arn, u.name), "message": msg, "evidence": iam.grants_evidence(u.without_mfa)} if {
	count(u.without_mfa) > 0
	g := u.without_mfa[0]
	msg := sprintf("%s can call %s %s: allowed by %s. The guide wants everything but self-service denied unless MFA is present.%s", [
		u.name, iam.action_phrase(g.action), iam.context_phrase(g.context), iam.grant_source(g), iam.more(count(u.without_mfa) - 1),
	])
} else := result.fail(result.user(u.arn, u.name), msg) if {
	not u.mfa_enforced
	msg := sprintf("No explicit Deny requires MFA for %s: %s is not denied, so any grant beyond self-service would work without MFA. The guide's IAMRequireMFA denies everything but IAM self-service unless aws:MultiFactorAuthAge is present.", [u.name, u.mfa_gap])
} else := result.pass(result.user(u.arn, u.name), msg) if {
	msg := sprintf("Without MFA (long-term access keys, or a session without MFA) %s can do nothing but self-service, and %s denies the rest.", [u.name, u.mfa_enforced_by])
}
