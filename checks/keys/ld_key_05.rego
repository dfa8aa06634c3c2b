# METADATA
# title: Credentials unused for {credential_unused_days_sh} days are removed
# description: |
#   Security Hub IAM.8 ("Unused IAM user credentials should be removed"; AWS
#   Config's iam-user-unused-credentials-check, maxCredentialUsageAge 90):
#   for every IAM user, an enabled console password and each active access key
#   must have been used within credential_unused_days_sh (default 90) of
#   collection time. A credential never used fails once it is older than that
#   (password: since it was last changed or the user was created; key: since it
#   was created). The same rule as LD-KEY-02 with Security Hub's threshold
#   instead of CIS's 45 days. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-8
# custom:
#   id: LD-KEY-05
#   severity: medium
#   section: IAM Users
#   requires: [credential_report]
#   params:
#     credential_unused_days_sh: 90
#   remediation: |
#     Deactivate or delete what is not used:
#       aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive
#       aws iam delete-access-key --user-name USER --access-key-id KEY_ID
#       aws iam delete-login-profile --user-name USER
#     Console: IAM > Users > USER > Security credentials (Manage console access > Disable; Access keys > Deactivate).
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-8
package lockdown.checks.ld_key_05

import data.lockdown.lib.result
import data.lockdown.lib.time as ltime
import data.lockdown.lib.unknown

days := input.params.credential_unused_days_sh

# Each enabled credential is judged from scalars: when it was last used and,
# for one never used, since when it has existed. (Building a set of
# credential objects first costs more than the judgement itself.)
results contains verdict(row.arn, row.user, "password", "console password", row.password_last_used, since) if {
	some row in input.credential_report.users
	row.password_enabled == true
	since := coalesce(row.password_last_changed, row.user_creation_time)
}

results contains verdict(row.arn, row.user, sprintf("access_key_%d", [k.n]), sprintf("access key %d", [k.n]), k.last_used_date, since) if {
	some row in input.credential_report.users
	some k in row.access_keys
	k.active
	since := coalesce(k.last_rotated, row.user_creation_time)
}

coalesce(a, _) := a if a != null

coalesce(null, b) := b

# verdict judges one credential. Its result object is built in one piece
# (not through result.*_detail, which builds it twice), and the age is
# computed once: this runs for every password and key of every user.
verdict(arn, user, detail, what, used, since) := {"status": status, "resource": result.user(arn, user), "message": msg, "detail": detail} if {
	[status, msg] := judgement(user, what, used, since)
}

judgement(user, what, used, since) := ["FAIL", msg] if {
	used != null
	age := ltime.age_days(used)
	age >= days
	msg := sprintf("%s's %s was last used on %s, %d days ago. Disable credentials unused for %d days.", [user, what, ltime.date(used), age, days])
} else := ["PASS", msg] if {
	used != null
	msg := sprintf("%s's %s was used on %s.", [user, what, ltime.date(used)])
} else := ["NOT_ASSESSED", msg] if {
	since == null
	msg := sprintf("%s's %s has no recorded use and the report gives no creation date.", [user, what])
} else := ["FAIL", msg] if {
	ltime.age_days(since) >= days
	msg := sprintf("%s's %s has never been used and has existed since %s. Disable credentials unused for %d days.", [user, what, ltime.date(since), days])
} else := ["PASS", msg] if {
	msg := sprintf("%s's %s has not been used yet but was created on %s, less than %d days ago.", [user, what, ltime.date(since), days])
}

any_credential if {
	some row in input.credential_report.users
	row.password_enabled == true
}

any_credential if {
	some row in input.credential_report.users
	some k in row.access_keys
	k.active
}

results contains r if some r in unknown.credential("Credential use")

results contains result.pass(result.account, "No IAM user has an enabled password or active access key.") if {
	input.credential_report != null
	not any_credential
	not unknown.any_credential
}
