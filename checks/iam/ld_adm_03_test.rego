package lockdown.checks.ld_adm_03_test

import data.lockdown.checks.ld_adm_03

role := "arn:aws:iam::111122223333:role/AdminRole"

inp(admin, trust) := {"iam": {"roles": {role: {"arn": role, "name": "AdminRole", "admin": admin, "trust": trust}}}}

test_outsiders_fail if {
	some r in ld_adm_03.results with input as inp(true, {"present": true, "outsiders": ["*"], "without_mfa": []})
	r.status == "FAIL"
	contains(r.message, "other than the account's own users and roles: *")
}

test_without_mfa_fails if {
	some r in ld_adm_03.results with input as inp(true, {"present": true, "outsiders": [], "without_mfa": ["#1"]})
	r.status == "FAIL"
	contains(r.message, "without MFA (statement #1)")
}

test_missing_trust_fails if {
	some r in ld_adm_03.results with input as inp(true, {"present": false, "outsiders": [], "without_mfa": []})
	r.status == "FAIL"
}

test_good_trust_passes if {
	some r in ld_adm_03.results with input as inp(true, {"present": true, "outsiders": [], "without_mfa": []})
	r.status == "PASS"
}

test_non_admin_role_not_examined if {
	count(ld_adm_03.results) == 0 with input as inp(false, {"present": true, "outsiders": ["*"], "without_mfa": []})
}

test_service_linked_role_skipped if {
	x := object.union(
		inp(true, {"present": true, "outsiders": ["service:ec2.amazonaws.com"], "without_mfa": []}),
		{"roles": {role: {"service_linked": true}}},
	)
	count(ld_adm_03.results) == 0 with input as x
}

# A role whose policies are not completely known may be an admin role:
# NOT_ASSESSED, never silently skipped.
test_unknown_role_not_assessed if {
	u := {"arn": "arn:aws:iam::111122223333:role/Odd", "type": "AWS::IAM::Role", "name": "Odd", "reason": "managed policy X: bad"}
	rs := ld_adm_03.results with input as object.union({"iam": {"roles": {}}}, {"policy_unknown": {u.arn: u}})
	some r in rs
	r.resource.arn == u.arn
	r.status == "NOT_ASSESSED"
	contains(r.message, "managed policy X: bad")
	every x in rs {
		x.status != "PASS"
	}
}

test_evidence_names_outsiders if {
	some r in ld_adm_03.results with input as inp(true, {"present": true, "outsiders": ["*", "arn:aws:iam::999999999999:root"], "without_mfa": []})
	r.evidence.principals == ["*", "arn:aws:iam::999999999999:root"]
}
