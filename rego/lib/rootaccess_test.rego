package lockdown.lib.rootaccess_test

import data.lockdown.lib.rootaccess

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

features(known, in_org, code) := {
	"known": known,
	"in_organization": in_org,
	"organization_id": "",
	"enabled_features": [],
	"root_credentials_management": false,
	"root_sessions": false,
	"answer_code": code,
	"answer_message": "m",
}

statuses(of, enabled) := s if {
	rs := rootaccess.verdicts("F", enabled, "p") with input as {"account": acct, "organizations_features": of}
	s := {r.status | some r in rs}
}

# Exactly one verdict in every state of the answer.
test_one_verdict_per_state if {
	statuses(null, false) == {"NOT_ASSESSED"}
	statuses(features(false, true, "AccountNotManagementOrDelegatedAdministratorException"), true) == {"NOT_ASSESSED"}
	statuses(features(false, null, ""), false) == {"NOT_ASSESSED"}
	statuses(features(true, false, "OrganizationNotFoundException"), false) == {"NOT_APPLICABLE"}
	statuses(features(true, true, ""), true) == {"PASS"}
	statuses(features(true, true, ""), false) == {"FAIL"}
	statuses(features(true, true, "ServiceAccessNotEnabledException"), false) == {"FAIL"}
}

test_missing_organization_id_is_said if {
	rs := rootaccess.verdicts("F", true, "p") with input as {"account": acct, "organizations_features": features(true, true, "")}
	some r in rs
	contains(r.message, "(ID not returned)")
}
