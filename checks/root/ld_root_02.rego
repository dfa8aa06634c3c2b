# METADATA
# title: Root user has no access keys
# description: |
#   Access keys for the root user give unrestricted programmatic access that
#   MFA does not protect. The credential report's root row must show neither
#   access key active. When GetAccountSummary was collected and reports
#   AccountAccessKeysPresent=1 although no key is active, an inactive root key
#   still exists; the guide says to delete the keys, so that fails too.
# custom:
#   id: LD-ROOT-02
#   severity: critical
#   section: AWS root user
#   guide_step: "Delete any access keys you might have for the root user."
#   requires: [credential_report]
#   remediation: |
#     Console (only the root user can do this): sign in as the root user, choose
#     the account name in the navigation bar > Security credentials > Access keys,
#     then Actions > Deactivate and Actions > Delete for every key.
#     Verify with the AWS CLI:
#       aws iam get-account-summary --query 'SummaryMap.AccountAccessKeysPresent'
#     (0 means no root access key exists.)
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user_manage_delete-key
package lockdown.checks.ld_root_02

import data.lockdown.lib.result
import data.lockdown.lib.unknown

summary_keys := input.account_summary.AccountAccessKeysPresent if input.sources.account_summary.status == "ok"

results contains result.not_assessed(result.account, msg) if {
	input.root == null
	msg := unknown.root_message("the root user's access keys")
}

results contains verdict(input.root) if input.root != null

active_keys(root) := [sprintf("access key %d", [k.n]) | some k in root.access_keys; k.active]

verdict(root) := result.fail(result.account, msg) if {
	keys := active_keys(root)
	count(keys) > 0
	msg := sprintf("The root user has active %s. The guide wants every root access key deleted.", [concat(" and ", keys)])
} else := result.fail(result.account, msg) if {
	summary_keys == 1
	msg := "No root access key is active, but GetAccountSummary reports AccountAccessKeysPresent=1: an inactive root access key still exists. The guide wants root access keys deleted, not just deactivated."
} else := result.pass(result.account, "The root user has no active access keys.")
