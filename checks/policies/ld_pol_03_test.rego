package lockdown.checks.ld_pol_03_test

import data.lockdown.checks.ld_pol_03

acct := {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}

g(ws) := {"full_admin": false, "full_admin_statements": [], "star_statements": [], "service_wildcards": ws}

pol(name) := {"arn": sprintf("arn:aws:iam::111122223333:policy/%s", [name]), "name": name, "aws_managed": false}

inp(ps, gs) := {
	"account": acct, "params": {"exclude_permission_boundary_policy": true},
	"policies": {p.arn: p | some p in ps}, "users": {}, "groups": {}, "roles": {},
	"policy_grants": {"managed": gs, "inline": {}, "trust": {}},
}

s3 := {"statement": "S3", "not_action": false, "all_actions": false, "services": ["s3"], "patterns": ["s3:*"], "actions": ["s3:*"]}

star := {"statement": "#1", "not_action": false, "all_actions": true, "services": ["ec2", "s3"], "patterns": ["*"], "actions": ["*"]}

notact := {"statement": "Not", "not_action": true, "all_actions": false, "services": ["ec2", "iam"], "patterns": ["s3:*"], "actions": ["ec2:*", "iam:*"]}

test_service_star_fails if {
	a := pol("S3All")
	rs := ld_pol_03.results with input as inp([a], {a.arn: g([s3])})
	count(rs) == 1
	some r in rs
	r.status == "FAIL"
	r.evidence.actions == ["s3:*"]
	contains(r.message, "statement S3 allows s3:*")
}

test_star_and_notaction_fail if {
	a := pol("Star")
	b := pol("Not")
	rs := ld_pol_03.results with input as inp([a, b], {a.arn: g([star]), b.arn: g([notact])})
	{r.resource.name: r.evidence.actions | some r in rs} == {"Star": ["*"], "Not": ["ec2:*", "iam:*"]}
}

test_prefix_passes if {
	a := pol("Describe")
	rs := ld_pol_03.results with input as inp([a], {a.arn: g([])})
	{r.resource.name: r.status | some r in rs} == {"Describe": "PASS"}
}

test_unreadable if {
	a := pol("Broken")
	rs := ld_pol_03.results with input as inp([a], {a.arn: object.union(g([]), {"error": "not JSON"})})
	{r.resource.name: r.status | some r in rs} == {"Broken": "NOT_ASSESSED"}
}
