# METADATA
# title: Root user has MFA enabled
# description: |
#   The root user has complete access to every service and resource in the
#   account. The credential report's root row must show an active MFA device.
#   GetAccountSummary's AccountMFAEnabled, when collected, is used only to
#   corroborate: if it contradicts an active MFA device the check fails.
#   A root user with neither a password nor access keys (centralized root
#   access in AWS Organizations) cannot sign in and passes.
# custom:
#   id: LD-ROOT-01
#   severity: critical
#   section: AWS root user
#   guide_step: "Enable Multi-factor authentication (MFA) for the root user."
#   requires: [credential_report]
#   remediation: |
#     Console (only the root user can do this): sign in as the root user at
#     https://console.aws.amazon.com/, choose the account name in the navigation
#     bar > Security credentials > Multi-factor authentication (MFA) >
#     Assign MFA device, and follow the wizard.
#     Verify with the AWS CLI:
#       aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'
#       aws iam generate-credential-report
#       aws iam get-credential-report --query Content --output text | base64 --decode | grep '<root_account>'
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html
package lockdown.checks.ld_root_01

import data.lockdown.lib.result
import data.lockdown.lib.unknown

# Used only when GetAccountSummary was collected completely.
summary_mfa := input.account_summary.AccountMFAEnabled if input.sources.account_summary.status == "ok"

results contains result.not_assessed(result.account, msg) if {
	input.root == null
	msg := unknown.root_message("the root user's MFA")
}

results contains verdict(input.root) if input.root != null

verdict(root) := result.fail(result.account, msg) if {
	root.mfa_active
	summary_mfa == 0
	msg := "The credential report shows root MFA active, but GetAccountSummary reports AccountMFAEnabled=0: the device may have been removed after the report was generated. The guide wants MFA enabled for the root user; check Security credentials as root."
} else := result.pass(result.account, "The root user has an MFA device.") if {
	root.mfa_active
} else := result.pass(result.account, msg) if {
	root.has_credentials == false
	msg := "The root user has neither a password nor access keys (centralized root access), so it cannot sign in and needs no MFA."
} else := result.fail(result.account, msg) if {
	summary_mfa == 1
	msg := "The credential report shows no MFA for the root user, while GetAccountSummary reports AccountMFAEnabled=1 (MFA may have been enabled after the report was generated; regenerate it). The guide wants MFA enabled for the root user."
} else := result.fail(result.account, "The root user has no MFA device. The guide wants MFA enabled for the root user.")
