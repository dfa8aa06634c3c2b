# METADATA
# title: Every IAM user with a console password has MFA
# description: |
#   A console password alone is one stolen secret away from a sign-in. Every
#   IAM user whose credential report row shows password_enabled must also show
#   an active MFA device. Users without a console password are not examined.
# custom:
#   id: LD-MFA-03
#   severity: high
#   section: IAM Policies
#   guide_step: "IAMRequireMFA: allow all IAM users the ability to set a password and configure MFA on their IAM user account."
#   requires: [credential_report]
#   remediation: |
#     The user (or an administrator) assigns an MFA device: IAM > Users > USER >
#     Security credentials > Multi-factor authentication (MFA) > Assign MFA device.
#     For a virtual device with the AWS CLI:
#       aws iam create-virtual-mfa-device --virtual-mfa-device-name USER --outfile USER-qr.png --bootstrap-method QRCodePNG
#       aws iam enable-mfa-device --user-name USER --serial-number arn:aws:iam::ACCOUNT_ID:mfa/USER --authentication-code1 CODE1 --authentication-code2 CODE2
#     If the user does not need the console: aws iam delete-login-profile --user-name USER
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html
package lockdown.checks.ld_mfa_03

import data.lockdown.lib.result
import data.lockdown.lib.unknown

console_users contains row if {
	some row in input.credential_report.users
	row.password_enabled == true
}

results contains result.fail(result.user(row.arn, row.user), msg) if {
	some row in console_users
	not row.mfa_active
	msg := sprintf("%s has a console password but no MFA device. The guide wants every user to configure MFA.", [row.user])
}

results contains result.pass(result.user(row.arn, row.user), msg) if {
	some row in console_users
	row.mfa_active
	msg := sprintf("%s has a console password and an MFA device.", [row.user])
}

results contains r if some r in unknown.credential("Console MFA")

results contains result.pass(result.account, "No IAM user has a console password.") if {
	input.credential_report != null
	count(console_users) == 0
	not unknown.any_credential
}
