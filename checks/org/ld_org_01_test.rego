package lockdown.checks.ld_org_01_test

import data.lockdown.checks.ld_org_01

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

features(known, in_org, list, code, msg) := {
	"known": known,
	"in_organization": in_org,
	"organization_id": "o-exampleorgid",
	"enabled_features": list,
	"root_credentials_management": "RootCredentialsManagement" in list,
	"root_sessions": "RootSessions" in list,
	"answer_code": code,
	"answer_message": msg,
}

one(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_enabled if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": features(true, true, ["RootCredentialsManagement", "RootSessions"], "", "")}
	r.status == "PASS"
	contains(r.message, "o-exampleorgid")
}

test_other_feature_only if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": features(true, true, ["RootSessions"], "", "")}
	r.status == "FAIL"
	contains(r.message, "RootCredentialsManagement is not enabled")
}

test_not_all_features_mode_fails_naming_answer if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": features(true, true, [], "OrganizationNotInAllFeaturesModeException", "not all features")}
	r.status == "FAIL"
	contains(r.message, "OrganizationNotInAllFeaturesModeException")
}

test_not_in_organization if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": features(true, false, [], "OrganizationNotFoundException", "no organization")}
	r.status == "NOT_APPLICABLE"
	contains(r.message, "in no AWS organization")
	contains(r.message, "OrganizationNotFoundException")
}

test_member_account_not_assessed if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": features(false, true, [], "AccountNotManagementOrDelegatedAdministratorException", "not the management account")}
	r.status == "NOT_ASSESSED"
	contains(r.message, "AccountNotManagementOrDelegatedAdministratorException")
	contains(r.message, "management account or the delegated administrator")
}

test_nothing_said_not_assessed if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": features(false, null, [], "", "")}
	r.status == "NOT_ASSESSED"
	contains(r.message, "does not say why")
}

test_source_not_usable if {
	r := one(ld_org_01.results) with input as {"account": acct, "organizations_features": null}
	r.status == "NOT_ASSESSED"
}
