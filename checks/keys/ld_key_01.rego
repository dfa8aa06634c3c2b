# METADATA
# title: Active access keys are rotated within {access_key_max_age_days} days
# description: |
#   A long-lived access key that leaks stays useful until it is rotated. Every
#   active access key of an IAM user must have been created (rotated) within
#   access_key_max_age_days (default 90) of collection time. Root keys are
#   covered by LD-ROOT-02.
# custom:
#   id: LD-KEY-01
#   severity: medium
#   section: IAM Users
#   guide_step: "When prompted make sure to save your newly created access keys somewhere secure."
#   requires: [credential_report]
#   params:
#     access_key_max_age_days: 90
#   remediation: |
#     Create a new key, switch every client to it, then deactivate and delete the old one:
#       aws iam create-access-key --user-name USER
#       aws iam update-access-key --user-name USER --access-key-id OLD_KEY_ID --status Inactive
#       aws iam delete-access-key --user-name USER --access-key-id OLD_KEY_ID
#     Console: IAM > Users > USER > Security credentials > Access keys.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
package lockdown.checks.ld_key_01

import data.lockdown.lib.result
import data.lockdown.lib.time as ltime
import data.lockdown.lib.unknown

max_age := input.params.access_key_max_age_days

# active_keys holds [user ARN, key number] pairs.
active_keys contains [arn, k.n] if {
	some arn, row in input.credential_report.users
	some k in row.access_keys
	k.active
}

results contains verdict(row, k) if {
	some [arn, n] in active_keys
	row := input.credential_report.users[arn]
	some k in row.access_keys
	k.n == n
}

detail(k) := sprintf("access_key_%d", [k.n])

verdict(row, k) := result.not_assessed_detail(result.user(row.arn, row.user), detail(k), msg) if {
	k.last_rotated == null
	msg := sprintf("Access key %d of %s is active but the credential report gives no rotation date.", [k.n, row.user])
} else := result.fail_detail(result.user(row.arn, row.user), detail(k), msg) if {
	age := ltime.age_days(k.last_rotated)
	age > max_age
	msg := sprintf("Access key %d of %s was last rotated on %s, %d days ago; rotate active keys at least every %d days.", [k.n, row.user, ltime.date(k.last_rotated), age, max_age])
} else := result.pass_detail(result.user(row.arn, row.user), detail(k), msg) if {
	msg := sprintf("Access key %d of %s was rotated on %s, within %d days.", [k.n, row.user, ltime.date(k.last_rotated), max_age])
}

results contains r if some r in unknown.credential("Access key rotation")

results contains result.pass(result.account, "No IAM user has an active access key.") if {
	input.credential_report != null
	count(active_keys) == 0
	not unknown.any_credential
}
