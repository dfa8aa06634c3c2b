package lockdown.checks.ld_adm_04_test

import data.lockdown.checks.ld_adm_04

base := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"params": {"admin_max_session_seconds": 3600},
}

arn(name) := sprintf("arn:aws:iam::111122223333:role/%s", [name])

role(name, max) := {"arn": arn(name), "name": name, "max_session_duration": max, "service_linked": false}

verdict(admin, action) := {"admin": admin, "admin_evidence": [{"policy": "AdminPolicy", "action": action}]} if admin

else := {"admin": false, "admin_evidence": []}

# roles: [[role, admin?]]
inp(roles) := object.union(base, {
	"roles": {r.arn: r | some [r, _] in roles},
	"iam": {"roles": {r.arn: verdict(admin, "lockdownprobe:AnyAction") | some [r, admin] in roles}},
})

statuses(rs) := {r.resource.name: r.status | some r in rs}

test_admin_roles_by_engine_verdict if {
	rs := ld_adm_04.results with input as inp([
		[role("AdminRole", 3600), true],
		[role("LongAdmin", 43200), true],
		[role("Reader", 43200), false],
	])
	statuses(rs) == {"AdminRole": "PASS", "LongAdmin": "FAIL"}
	some r in rs
	r.resource.name == "LongAdmin"
	contains(r.message, "43200 seconds")
	contains(r.message, "AdminPolicy allows any action")
}

test_missing_duration_not_assessed if {
	rs := ld_adm_04.results with input as inp([[role("AdminRole", null), true]])
	statuses(rs) == {"AdminRole": "NOT_ASSESSED"}
}

test_service_linked_skipped_and_account_pass if {
	slr := object.union(role("AWSServiceRoleForX", 43200), {"service_linked": true})
	rs := ld_adm_04.results with input as inp([[slr, true], [role("Reader", 43200), false]])
	count(rs) == 1
	some r in rs
	r.resource.type == "AWS::Account"
	r.status == "PASS"
}

test_param if {
	inp2 := object.union(inp([[role("AdminRole", 3600), true]]), {"params": {"admin_max_session_seconds": 900}})
	rs := ld_adm_04.results with input as inp2
	statuses(rs) == {"AdminRole": "FAIL"}
}

# A role whose policies are not completely known may be an admin role:
# NOT_ASSESSED, never silently skipped.
test_unknown_role_not_assessed if {
	u := {"arn": "arn:aws:iam::111122223333:role/Odd", "type": "AWS::IAM::Role", "name": "Odd", "reason": "managed policy X: bad"}
	rs := ld_adm_04.results with input as object.union(inp([]), {"policy_unknown": {u.arn: u}})
	some r in rs
	r.resource.arn == u.arn
	r.status == "NOT_ASSESSED"
	contains(r.message, "managed policy X: bad")
	every x in rs {
		x.status != "PASS"
	}
}

test_evidence_names_the_grants if {
	some r in ld_adm_04.results with input as inp([[role("AdminRole", 3600), true]])
	r.evidence.actions == ["*"]
}
