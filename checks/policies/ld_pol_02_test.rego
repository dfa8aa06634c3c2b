package lockdown.checks.ld_pol_02_test

import data.lockdown.checks.ld_pol_02

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

g(star) := {"full_admin": false, "full_admin_statements": [], "star_statements": star, "service_wildcards": []}

pol(name, aws) := {"arn": sprintf("arn:aws:iam::%s:policy/%s", [owner(aws), name]), "name": name, "aws_managed": aws}

owner(true) := "aws"

owner(false) := "111122223333"

inp(ps, gs, users) := {
	"account": acct, "params": {"exclude_permission_boundary_policy": true},
	"policies": {p.arn: p | some p in ps}, "users": users, "groups": {}, "roles": {},
	"policy_grants": {"managed": gs, "inline": {}, "trust": {}},
}

status(rs) := {r.resource.name: r.status | some r in rs}

test_customer_star_fails_attached_or_not if {
	a := pol("Star", false)
	b := pol("Fine", false)
	c := pol("AdministratorAccess", true)
	rs := ld_pol_02.results with input as inp([a, b, c], {a.arn: g(["#1"]), b.arn: g([]), c.arn: g(["#1"])}, {})
	status(rs) == {"Star": "FAIL", "Fine": "PASS"}
}

test_boundary_only_excluded if {
	a := pol("Boundary", false)
	u := {"arn": "arn:aws:iam::111122223333:user/u", "name": "u", "attached_policies": [], "permissions_boundary": a.arn}
	rs := ld_pol_02.results with input as inp([a], {a.arn: g(["#1"])}, {u.arn: u})
	status(rs) == {"Boundary": "PASS"}
	inp2 := object.union(inp([a], {a.arn: g(["#1"])}, {u.arn: u}), {"params": {"exclude_permission_boundary_policy": false}})
	status(ld_pol_02.results) == {"Boundary": "FAIL"} with input as inp2
}

test_unreadable_not_assessed if {
	a := pol("Broken", false)
	rs := ld_pol_02.results with input as inp([a], {a.arn: object.union(g([]), {"error": "default version v3 is not in the snapshot"})}, {})
	status(rs) == {"Broken": "NOT_ASSESSED"}
}

test_none if {
	rs := ld_pol_02.results with input as inp([pol("ReadOnlyAccess", true)], {}, {})
	status(rs) == {"111122223333": "PASS"}
}
