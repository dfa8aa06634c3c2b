# METADATA
# title: Every IAM user has MFA
# description: |
#   Security Hub IAM.19 ("MFA should be enabled for all IAM users"): every IAM
#   user, with or without a console password, has an active MFA device
#   (credential report mfa_active). Unlike LD-MFA-03 (IAM.5, CIS 1.9), a user
#   with only access keys, or no credentials at all, is judged too. One result
#   per user; users whose report row is missing or unreadable are
#   NOT_ASSESSED; an account without users gets one account PASS. Source:
#   https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-19
# custom:
#   id: LD-MFA-04
#   severity: medium
#   section: IAM Policies
#   requires: [credential_report]
#   remediation: |
#     Assign an MFA device to the user: IAM > Users > USER > Security credentials >
#     Multi-factor authentication (MFA) > Assign MFA device. For a virtual device:
#       aws iam create-virtual-mfa-device --virtual-mfa-device-name USER --outfile USER-qr.png --bootstrap-method QRCodePNG
#       aws iam enable-mfa-device --user-name USER --serial-number arn:aws:iam::ACCOUNT_ID:mfa/USER --authentication-code1 CODE1 --authentication-code2 CODE2
#   docs_url: https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-19
package lockdown.checks.ld_mfa_04

import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains result.fail(result.user(row.arn, row.user), msg) if {
	some row in input.credential_report.users
	not row.mfa_active
	msg := sprintf("%s has no MFA device. Security Hub IAM.19 wants MFA on every IAM user.", [row.user])
}

results contains result.pass(result.user(row.arn, row.user), msg) if {
	some row in input.credential_report.users
	row.mfa_active
	msg := sprintf("%s has an MFA device.", [row.user])
}

results contains r if some r in unknown.credential("MFA")

results contains result.pass(result.account, "The account has no IAM users.") if {
	input.credential_report != null
	count(input.credential_report.users) == 0
	not unknown.any_credential
}
