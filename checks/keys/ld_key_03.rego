# METADATA
# title: Each IAM user has at most one active access key
# description: |
#   Two active keys double what can leak and usually mean an unfinished
#   rotation. Every IAM user in the credential report must have at most one
#   active access key.
# custom:
#   id: LD-KEY-03
#   severity: low
#   section: IAM Users
#   guide_step: "When prompted make sure to save your newly created access keys somewhere secure."
#   requires: [credential_report]
#   remediation: |
#     Find which key is still in use, then deactivate and delete the other:
#       aws iam list-access-keys --user-name USER
#       aws iam get-access-key-last-used --access-key-id KEY_ID
#       aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive
#       aws iam delete-access-key --user-name USER --access-key-id KEY_ID
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
package lockdown.checks.ld_key_03

import data.lockdown.lib.result
import data.lockdown.lib.unknown

active(row) := count([k | some k in row.access_keys; k.active])

results contains verdict(row) if some row in input.credential_report.users

verdict(row) := result.fail(result.user(row.arn, row.user), msg) if {
	active(row) > 1
	msg := sprintf("%s has %d active access keys. Keep at most one active key per user.", [row.user, active(row)])
} else := result.pass(result.user(row.arn, row.user), msg) if {
	msg := sprintf("%s has %d active access key(s).", [row.user, active(row)])
}

results contains r if some r in unknown.credential("The number of active access keys")

results contains result.pass(result.account, "The credential report lists no IAM users.") if {
	input.credential_report != null
	count(input.credential_report.users) == 0
	not unknown.any_credential
}
