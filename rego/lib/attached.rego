# METADATA
# description: |
#   Who holds which managed policy, from the users', groups' and roles' own
#   attachment lists (a group's policy is the group's, not its members'), and
#   the entities the policy engine could not completely read that the
#   snapshot does not describe at all (whose attachments are unknown).
package lockdown.lib.attached

import data.lockdown.lib.result

# holders[policy_arn] is the set of user, group and role ARNs it is attached to.
holders[p] contains u.arn if {
	some u in input.users
	some p in u.attached_policies
}

holders[p] contains g.arn if {
	some g in input.groups
	some p in g.attached_policies
}

holders[p] contains r.arn if {
	some r in input.roles
	some p in r.attached_policies
}

# attached_set is the set of managed policy ARNs attached to anyone (a
# complete rule: computed once, not once per lookup).
attached_set := {p | some p, _ in holders}

# boundaries is the set of policy ARNs used as a permissions boundary.
boundaries := {b | some e in array.concat([u | some u in input.users], [r | some r in input.roles]); b := e.permissions_boundary; b != null}

# identity(arn) is the result resource of a user, group or role ARN.
identity(arn) := result.user(arn, input.users[arn].name)

identity(arn) := result.group(input.groups[arn])

identity(arn) := result.role(input.roles[arn])

# undescribed(types, what) holds one NOT_ASSESSED result per entity of the
# given types that the policy engine lists as unknown and the snapshot's
# authorization details do not describe (so its attachments and tags are
# unknown).
undescribed(types, what) := {result.not_assessed(result.entity(u), msg) |
	some arn, u in input.policy_unknown
	u.type in types
	not described(arn)
	msg := sprintf("%s cannot be checked for %s: %s.", [what, u.name, u.reason])
}

described(arn) if input.users[arn]

described(arn) if input.groups[arn]

described(arn) if input.roles[arn]

# any_undescribed(types): some such entity exists.
any_undescribed(types) if {
	some arn, u in input.policy_unknown
	u.type in types
	not described(arn)
}

# aws_managed(name, arn): arn is the AWS managed policy name, in any partition.
aws_managed(name, arn) if {
	parts := split(arn, ":")
	count(parts) == 6
	parts[0] == "arn"
	parts[1] != ""
	parts[2] == "iam"
	parts[3] == ""
	parts[4] == "aws"
	parts[5] == concat("", ["policy/", name])
}
