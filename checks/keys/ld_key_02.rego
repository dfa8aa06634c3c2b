# METADATA
# title: Credentials unused for 45 days are disabled
# description: |
#   A password or access key nobody uses is only a way in for someone else.
#   For every IAM user, an enabled console password and each active access key
#   must have been used within credential_unused_days (default 45) of
#   collection time. A credential never used fails once it is older than that
#   (password: since it was last changed or the user was created; key: since it
#   was created).
# custom:
#   id: LD-KEY-02
#   severity: medium
#   section: IAM Users
#   guide_step: "If our IAM users access keys are compromised we've made sure they don't have permission to do any harm."
#   cis: ["1.11"]
#   security_hub: ["IAM.22"]
#   requires: [credential_report]
#   params:
#     credential_unused_days: 45
#   remediation: |
#     Deactivate or delete what is not used:
#       aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive
#       aws iam delete-access-key --user-name USER --access-key-id KEY_ID
#       aws iam delete-login-profile --user-name USER
#     Console: IAM > Users > USER > Security credentials (Manage console access > Disable; Access keys > Deactivate).
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html
package lockdown.checks.ld_key_02

import data.lockdown.lib.result
import data.lockdown.lib.time as ltime

days := input.params.credential_unused_days

# credentials lists each enabled credential (small objects: sets of whole
# rows are costly to sort) with when it was last used and,
# for one never used, since when it has existed.
credentials contains c if {
	some row in input.credential_report.users
	row.password_enabled == true
	c := {
		"arn": row.arn, "user": row.user, "detail": "password", "what": "console password",
		"used": row.password_last_used, "since": coalesce(row.password_last_changed, row.user_creation_time),
	}
}

credentials contains c if {
	some row in input.credential_report.users
	some k in row.access_keys
	k.active
	c := {
		"arn": row.arn, "user": row.user, "detail": sprintf("access_key_%d", [k.n]), "what": sprintf("access key %d", [k.n]),
		"used": k.last_used_date, "since": coalesce(k.last_rotated, row.user_creation_time),
	}
}

coalesce(a, _) := a if a != null

coalesce(null, b) := b

results contains verdict(c) if some c in credentials

res(c) := result.user(c.arn, c.user)

verdict(c) := result.fail_detail(res(c), c.detail, msg) if {
	c.used != null
	age := ltime.age_days(c.used)
	age >= days
	msg := sprintf("The %s of %s was last used on %s, %d days ago. Disable credentials unused for %d days.", [c.what, c.user, ltime.date(c.used), age, days])
} else := result.pass_detail(res(c), c.detail, msg) if {
	c.used != null
	msg := sprintf("The %s of %s was used on %s.", [c.what, c.user, ltime.date(c.used)])
} else := result.not_assessed_detail(res(c), c.detail, msg) if {
	c.since == null
	msg := sprintf("The %s of %s has no recorded use and the report gives no creation date.", [c.what, c.user])
} else := result.fail_detail(res(c), c.detail, msg) if {
	ltime.age_days(c.since) >= days
	msg := sprintf("The %s of %s has never been used and has existed since %s. Disable credentials unused for %d days.", [c.what, c.user, ltime.date(c.since), days])
} else := result.pass_detail(res(c), c.detail, msg) if {
	msg := sprintf("The %s of %s has not been used yet but was created on %s, less than %d days ago.", [c.what, c.user, ltime.date(c.since), days])
}

results contains result.pass(result.account, "No IAM user has an enabled password or active access key.") if {
	input.credential_report != null
	count(credentials) == 0
}
