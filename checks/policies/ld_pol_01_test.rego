package lockdown.checks.ld_pol_01_test

import data.lockdown.checks.ld_pol_01

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

admin := {"full_admin": true, "full_admin_context": "access_key", "full_admin_statements": ["#1"], "star_statements": ["#1"], "service_wildcards": []}

limited := {"full_admin": false, "full_admin_statements": [], "star_statements": [], "service_wildcards": []}

broken := {"error": "policy \"x\" statement #1 field Effect: must be Allow or Deny", "full_admin": false, "full_admin_statements": [], "star_statements": [], "service_wildcards": []}

pa := "arn:aws:iam::111122223333:policy/Admin"

pl := "arn:aws:iam::111122223333:policy/Limited"

pu := "arn:aws:iam::111122223333:policy/Unattached"

policies := {
	pa: {"arn": pa, "name": "Admin"},
	pl: {"arn": pl, "name": "Limited"},
	pu: {"arn": pu, "name": "Unattached"},
}

role := {"arn": "arn:aws:iam::111122223333:role/R", "name": "R", "attached_policies": [pa, pl], "inline_policies": []}

group := {"arn": "arn:aws:iam::111122223333:group/G", "name": "G", "attached_policies": [pa], "inline_policies": [{"name": "everything"}]}

user := {"arn": "arn:aws:iam::111122223333:user/u", "name": "u", "attached_policies": [], "inline_policies": [{"name": "mine"}]}

inp := {
	"account": acct,
	"policies": policies,
	"users": {user.arn: user},
	"groups": {group.arn: group},
	"roles": {role.arn: role},
	"policy_unknown": {},
	"policy_grants": {
		"managed": {pa: admin, pl: limited, pu: admin},
		"inline": {group.arn: {"everything": admin}, user.arn: {"mine": limited}},
		"trust": {},
	},
}

status(rs) := {sprintf("%s/%s", [r.resource.name, object.get(r, "detail", "")]): r.status | some r in rs}

test_attached_admin_fails_unattached_passes if {
	rs := ld_pol_01.results with input as inp
	status(rs) == {
		"Admin/": "FAIL", "Limited/": "PASS", "Unattached/": "PASS",
		"G/inline:everything": "FAIL", "u/inline:mine": "PASS",
	}
	some r in rs
	r.resource.name == "Admin"
	r.evidence.principals == [group.arn, role.arn]
	r.evidence.actions == ["*"]
}

test_unreadable_attached_policy_not_assessed if {
	inp2 := json.patch(inp, [{"op": "replace", "path": "/policy_grants/managed/arn:aws:iam::111122223333:policy~1Limited", "value": broken}])
	rs := ld_pol_01.results with input as inp2
	status(rs)["Limited/"] == "NOT_ASSESSED"
}

test_unknown_principal_not_assessed if {
	u := {"arn": "arn:aws:iam::111122223333:user/ghost", "type": "AWS::IAM::User", "name": "ghost", "reason": "group Contractors is not described"}
	rs := ld_pol_01.results with input as object.union(inp, {"policy_unknown": {u.arn: u}})
	status(rs)["ghost/"] == "NOT_ASSESSED"
}

test_empty_account if {
	rs := ld_pol_01.results with input as {"account": acct, "policies": {}, "users": {}, "groups": {}, "roles": {}, "policy_unknown": {}, "policy_grants": {"managed": {}, "inline": {}, "trust": {}}}
	status(rs) == {"111122223333/": "PASS"}
}
