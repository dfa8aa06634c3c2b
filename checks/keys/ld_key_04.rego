# METADATA
# title: No console user has an access key created with the user and never used
# description: |
#   CIS AWS Foundations v5.0 1.10 (v6.0 2.10): do not create access keys
#   during initial user setup for IAM users with a console password. Read
#   from the credential report: a user with a console password
#   (password_enabled) fails for each active access key whose last_rotated
#   (its creation) is within initial_key_window_seconds (default 60) of
#   user_creation_time and that was never used (last_used_date N/A). A key
#   created later, or one that has been used, passes; so does a user without
#   a console password (the recommendation is about console users) and a
#   console user without active keys. Inactive keys have no creation time in
#   the report and cannot sign requests; they are not judged. Users whose
#   report row is missing or unreadable are NOT_ASSESSED.
# custom:
#   id: LD-KEY-04
#   severity: low
#   section: IAM Users
#   requires: [credential_report]
#   params:
#     initial_key_window_seconds: 60
#   remediation: |
#     Delete the access key nobody uses; create one later if the user really
#     needs programmatic access:
#       aws iam delete-access-key --user-name USER --access-key-id KEY_ID
#     Console: IAM > Users > USER > Security credentials > Access keys > Actions > Delete.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
package lockdown.checks.ld_key_04

import data.lockdown.lib.result
import data.lockdown.lib.unknown

window_ns := input.params.initial_key_window_seconds * 1000000000

# setup_key(row, k): key k was created with the user and never used.
setup_key(row, k) if {
	k.active
	k.last_rotated != null
	row.user_creation_time != null
	k.last_used_date == null
	k.last_used_date_info == "N/A"
	abs(time.parse_rfc3339_ns(k.last_rotated) - time.parse_rfc3339_ns(row.user_creation_time)) <= window_ns
}

setup_keys(row) := [sprintf("access_key_%d", [k.n]) | some k in row.access_keys; setup_key(row, k)]

results contains verdict(row) if {
	some row in input.credential_report.users
	row.password_enabled == true
}

# undated(row): an active, never used key whose age against the user's
# cannot be told (the report gives no creation time for one of them).
undated(row) if {
	some k in row.access_keys
	k.active
	k.last_used_date == null
	null in {k.last_rotated, row.user_creation_time}
}

verdict(row) := result.with_evidence(result.fail(result.user(row.arn, row.user), msg), {"items": keys}) if {
	keys := setup_keys(row)
	count(keys) > 0
	msg := sprintf("%s has a console password and an access key created with the user (%s) that has never been used: %s. Delete it.", [row.user, row.user_creation_time, concat(", ", keys)])
} else := result.not_assessed(result.user(row.arn, row.user), msg) if {
	undated(row)
	msg := sprintf("%s has a console password and an access key never used, but the credential report does not say when the user or the key was created.", [row.user])
} else := result.pass(result.user(row.arn, row.user), msg) if {
	msg := sprintf("%s has a console password and no unused access key from the user's creation.", [row.user])
}

results contains result.pass(result.user(row.arn, row.user), msg) if {
	some row in input.credential_report.users
	row.password_enabled != true
	msg := sprintf("%s has no console password.", [row.user])
}

results contains r if some r in unknown.credential("Access keys from initial setup")

results contains result.pass(result.account, "The account has no IAM users.") if {
	input.credential_report != null
	count(input.credential_report.users) == 0
	not unknown.any_credential
}
