# METADATA
# title: No IAM user can stop CloudTrail logging without MFA
# description: |
#   An example of a custom check (lockdown audit --rules examples/rules). For
#   every IAM user the policy engine could judge, it asks lockdown.iam.decide
#   whether IAM would allow each of the trail_actions with long-term access
#   keys or in a session without MFA. A user who can is a FAIL; users whose
#   policies are not completely known are NOT_ASSESSED; an account without
#   IAM users is NOT_APPLICABLE.
# custom:
#   id: EX-TRAIL-01
#   severity: high
#   requires: [authorization_details]
#   params:
#     trail_actions: "cloudtrail:StopLogging,cloudtrail:DeleteTrail"
#   remediation: |
#     Require MFA for the actions, e.g. with a Deny statement on the users' group:
#       {"Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
#        "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
#       aws iam put-group-policy --group-name Users --policy-name ProtectCloudTrail --policy-document file://deny.json
#   docs_url: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/security_iam_id-based-policy-examples.html
package lockdown.checks.ex_trail_01

import data.lockdown.lib.result
import data.lockdown.lib.unknown

# The actions to protect, from the parameter (--param trail_actions=...).
actions := {trim_space(a) | some a in split(input.params.trail_actions, ",")}

contexts := ["access_key", "session_no_mfa"]

# One result per user the policy engine judged.
results contains verdict(u) if some u in input.iam.users

# Users whose groups or policies are not completely known: NOT_ASSESSED.
results contains r if some r in unknown.policy(unknown.users, "Who can stop CloudTrail logging")

# Nothing to judge: say so on the account.
results contains result.not_applicable(result.account, "The account has no IAM users.") if {
	count(input.iam.users) == 0
	not unknown.any_policy(unknown.users)
}

# The requests IAM would allow without MFA, as "context action".
without_mfa(u) := {sprintf("%s %s", [c, a]) |
	some c in contexts
	some a in actions
	lockdown.iam.decide(u.arn, a, "*", c).allowed
}

verdict(u) := result.with_evidence(result.fail(result.user(u.arn, u.name), msg), {"actions": allowed}) if {
	requests := without_mfa(u)
	count(requests) > 0
	allowed := sort({a | some r in requests; a := split(r, " ")[1]})
	msg := sprintf("User %s can %s without MFA (%s).", [u.name, concat(", ", allowed), concat("; ", sort(requests))])
} else := result.pass(result.user(u.arn, u.name), sprintf("User %s cannot stop CloudTrail logging without MFA.", [u.name]))
