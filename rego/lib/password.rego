# METADATA
# description: |
#   Helpers for the password policy checks: how a setting reads in a message,
#   and the verdict when no policy is set (IAM's default rules meet none of
#   the requirements, so that is a FAIL, never a PASS).
package lockdown.lib.password

import data.lockdown.lib.result

# number(n) is a numeric setting as a message shows it.
number(n) := sprintf("%d", [n]) if n != null

number(null) := "not set"

# at_least(n, want): the numeric setting is set and at least want.
at_least(n, want) if {
	n != null
	n >= want
}

# no_policy(what) is the account's FAIL when no password policy is set;
# what says what the check wants, e.g. "a minimum length of 14".
no_policy(what) := result.fail(result.account, msg) if {
	msg := sprintf("No account password policy is set, so IAM's default rules apply and do not require %s. Set a password policy that does.", [what])
}
