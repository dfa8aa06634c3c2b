# METADATA
# description: |
#   Entities that some checks cannot judge because an item they depend on is
#   missing or unusable (facts' credential_unknown and policy_unknown, and the
#   credential report's root row). Each yields a NOT_ASSESSED result naming the
#   reason, never a PASS.
package lockdown.lib.unknown

import data.lockdown.lib.result

# credential(what) holds one NOT_ASSESSED result per user whose credential
# report row is missing or unreadable; what names what the check judges.
credential(what) := {result.not_assessed(result.entity(u), msg) |
	some u in input.credential_unknown
	msg := sprintf("%s cannot be checked for %s: %s.", [what, u.name, u.reason])
}

# policy(types, what) holds one NOT_ASSESSED result per user, group or role
# of the given types whose groups or policies are not completely known.
policy(types, what) := {result.not_assessed(result.entity(u), msg) |
	some u in input.policy_unknown
	u.type in types
	msg := sprintf("%s cannot be checked for %s: %s.", [what, u.name, u.reason])
}

# any_credential is true when some user's credentials are unknown, so no
# statement about all users holds.
any_credential if count(input.credential_unknown) > 0

any_policy(types) if {
	some u in input.policy_unknown
	u.type in types
}

users := {"AWS::IAM::User"}

groups := {"AWS::IAM::Group"}

roles := {"AWS::IAM::Role"}

principals := {"AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Role"}

# root_message says why the root user's what cannot be checked when the
# credential report gives no usable root row.
root_message(what) := msg if {
	input.root_problem
	msg := sprintf("The credential report's <root_account> row cannot be read (%s), so %s cannot be checked.", [input.root_problem, what])
} else := sprintf("The credential report has no <root_account> row, so %s cannot be checked.", [what])
