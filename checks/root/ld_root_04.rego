# METADATA
# title: Root user not used in the last {root_recent_days} days
# description: |
#   The root user should only set up the account and do the few tasks that
#   need it. The check fails when the root password or a root access key was
#   used within root_recent_days (default 90) of collection time, naming the
#   date. "no_information" (never used, or before IAM tracked sign-ins) and
#   N/A are not uses.
# custom:
#   id: LD-ROOT-04
#   severity: medium
#   section: AWS root user
#   guide_step: "This root user account should only be used for setting up your first IAM user or the small handful of tasks that require root user access."
#   requires: [credential_report]
#   params:
#     root_recent_days: 90
#   remediation: |
#     Do daily work as an IAM user or through an assumed role, not as root.
#     Review what the root user did in CloudTrail:
#       aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root --max-results 50
#     If the use was not yours, change the root password and MFA device
#     (sign in as root > account name > Security credentials) and delete any
#     root access keys.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html
package lockdown.checks.ld_root_04

import data.lockdown.lib.result
import data.lockdown.lib.time as ltime
import data.lockdown.lib.unknown

days := input.params.root_recent_days

results contains result.not_assessed(result.account, msg) if {
	input.root == null
	msg := unknown.root_message("root user activity")
}

results contains verdict(input.root) if input.root != null

# uses lists each recorded use of a root credential.
uses(root) := array.concat(
	[{"what": "password", "when": root.password_last_used} | root.password_last_used != null],
	[{"what": sprintf("access key %d", [k.n]), "when": k.last_used_date} |
		some k in root.access_keys
		k.last_used_date != null
	],
)

recent(root) := [sprintf("%s on %s", [u.what, ltime.date(u.when)]) |
	some u in uses(root)
	ltime.age_days(u.when) < days
]

last_use_phrase(root) := sprintf("last recorded use %s", [ltime.date(root.last_used)]) if root.last_used != null

last_use_phrase(root) := "no recorded use" if root.last_used == null

verdict(root) := result.fail(result.account, msg) if {
	r := recent(root)
	count(r) > 0
	msg := sprintf("The root user was used within the last %d days: %s. The guide wants the root user kept for the few tasks that require it.", [days, concat(", ", r)])
} else := result.pass(result.account, msg) if {
	msg := sprintf("The root user has not been used in the last %d days (%s).", [days, last_use_phrase(root)])
}
