# METADATA
# title: Root user MFA is a hardware device
# description: |
#   A virtual MFA device lives on a phone or computer and shares its attack
#   surface; the root user should use a hardware device (a FIDO security key or
#   a hardware TOTP token). The root MFA is virtual when a virtual MFA device is
#   assigned to the root user (serial root-account-mfa-device, or a device whose
#   user ARN is the account root); it is hardware when MFA is active and no
#   virtual device belongs to the root user.
# custom:
#   id: LD-ROOT-03
#   severity: high
#   section: AWS root user
#   guide_step: "Enable Multi-factor authentication (MFA) for the root user."
#   requires: [credential_report, virtual_mfa_devices]
#   remediation: |
#     Console (only the root user can do this): sign in as the root user, choose
#     the account name > Security credentials > Multi-factor authentication (MFA)
#     > Assign MFA device, choose "Passkey or security key" or "Hardware TOTP
#     token", then remove the virtual (authenticator app) device.
#     Verify with the AWS CLI that no virtual device belongs to the root user:
#       aws iam list-virtual-mfa-devices --assignment-status Assigned --query "VirtualMFADevices[?ends_with(User.Arn, ':root')].SerialNumber"
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html
package lockdown.checks.ld_root_03

import data.lockdown.lib.result
import data.lockdown.lib.unknown

results contains result.not_assessed(result.account, msg) if {
	input.root == null
	msg := unknown.root_message("the root user's MFA device")
}

results contains verdict(input.root) if input.root != null

verdict(root) := result.pass(result.account, msg) if {
	root.root_mfa_type == "hardware"
	msg := "The root user's MFA is a hardware device: MFA is active and no virtual MFA device is assigned to the root user."
} else := result.fail(result.account, msg) if {
	root.root_mfa_type == "virtual"
	msg := sprintf("The root user's MFA is a virtual device (%s). The guide wants the root user protected by MFA; use a hardware device for it.", [concat(", ", root.virtual_mfa_serials)])
} else := result.pass(result.account, msg) if {
	root.root_mfa_type == "none"
	root.has_credentials == false
	msg := "The root user has neither a password nor access keys (centralized root access), so it cannot sign in and needs no MFA device."
} else := result.fail(result.account, msg) if {
	root.root_mfa_type == "none"
	msg := "The root user has no MFA device at all. The guide wants MFA enabled for the root user; use a hardware device."
} else := result.not_assessed(result.account, "The root user's MFA type could not be determined.")
