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

# Each active key is judged where it is found: one pass over the report.
results contains verdict(row, k) if {
	some row in input.credential_report.users
	some k in row.access_keys
	k.active
}

any_active_key if {
	some row in input.credential_report.users
	some k in row.access_keys
	k.active
}

# verdict's result object is built in one piece (not through
# result.*_detail, which builds it twice): it runs for every active key.
verdict(row, k) := {"status": status, "resource": result.user(row.arn, row.user), "message": msg, "detail": sprintf("access_key_%d", [k.n])} if {
	[status, msg] := judgement(row, k)
}

judgement(row, k) := ["NOT_ASSESSED", msg] if {
	k.last_rotated == null
	msg := sprintf("Access key %d of %s is active but the credential report gives no rotation date.", [k.n, row.user])
} else := ["FAIL", msg] if {
	age := ltime.age_days(k.last_rotated)
	age > max_age
	msg := sprintf("Access key %d of %s was last rotated on %s, %d days ago; rotate active keys at least every %d days.", [k.n, row.user, ltime.date(k.last_rotated), age, max_age])
} else := ["PASS", msg] if {
	msg := sprintf("Access key %d of %s was rotated on %s, within %d days.", [k.n, row.user, ltime.date(k.last_rotated), max_age])
}

results contains r if some r in unknown.credential("Access key rotation")

results contains result.pass(result.account, "No IAM user has an active access key.") if {
	input.credential_report != null
	not any_active_key
	not unknown.any_credential
}
