package lockdown.checks.ld_aa_01_test

import data.lockdown.checks.ld_aa_01

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

analyzer(region, name, type, status) := {
	"name": name,
	"arn": sprintf("arn:aws:access-analyzer:%s:111122223333:analyzer/%s", [region, name]),
	"region": region,
	"type": type,
	"status": status,
	"status_reason": "",
	"external_access": type in {"ACCOUNT", "ORGANIZATION"},
	"tags": {},
	"user_tag_keys": [],
}

inp(regions, unknown) := {
	"account": acct,
	"regions": [r | some r, _ in regions],
	"analyzers": {r: {"region": r, "analyzers": list} | some r, list in regions},
	"analyzer_unknown": unknown,
}

by_region(rs) := {r.detail: r.status | some r in rs}

test_pass_and_fail_per_region if {
	rs := ld_aa_01.results with input as inp(
		{
			"us-east-1": [analyzer("us-east-1", "ext", "ACCOUNT", "ACTIVE")],
			"eu-west-1": [analyzer("eu-west-1", "org", "ORGANIZATION", "ACTIVE"), analyzer("eu-west-1", "unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE")],
			"eu-central-1": [],
		},
		{},
	)
	by_region(rs) == {"us-east-1": "PASS", "eu-west-1": "PASS", "eu-central-1": "FAIL"}
	some r in rs
	r.detail == "us-east-1"
	r.resource.arn == acct.arn
	r.evidence.items == ["arn:aws:access-analyzer:us-east-1:111122223333:analyzer/ext"]
	some f in rs
	f.status == "FAIL"
	contains(f.message, "no IAM Access Analyzer analyzer")
}

# Unused-access and internal-access analyzers, and external-access analyzers
# that are not ACTIVE, do not count; the message says why for each.
test_other_types_and_statuses_do_not_count if {
	rs := ld_aa_01.results with input as inp(
		{"us-east-1": [
			analyzer("us-east-1", "unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE"),
			analyzer("us-east-1", "internal", "ORGANIZATION_INTERNAL_ACCESS", "ACTIVE"),
			object.union(analyzer("us-east-1", "off", "ACCOUNT", "DISABLED"), {"status_reason": "SERVICE_LINKED_ROLE_CREATION_FAILED"}),
			analyzer("us-east-1", "new", "ACCOUNT", "CREATING"),
		]},
		{},
	)
	count(rs) == 1
	some r in rs
	r.status == "FAIL"
	contains(r.message, "unused is an unused-access analyzer, not an external-access one")
	contains(r.message, "internal is an internal-access analyzer")
	contains(r.message, "off is DISABLED (SERVICE_LINKED_ROLE_CREATION_FAILED)")
	contains(r.message, "new is CREATING")
	count(r.evidence.items) == 4
}

unknown_eu := {"eu-west-1": {"region": "eu-west-1", "code": "AccessDeniedException", "action": "access-analyzer:ListAnalyzers", "reason": "access-analyzer:ListAnalyzers failed in eu-west-1 (AccessDeniedException: not authorized)"}}

# One region that failed is NOT_ASSESSED with the error, even with an active
# analyzer read before the error; the other regions are judged.
test_one_region_error if {
	rs := ld_aa_01.results with input as inp(
		{
			"us-east-1": [analyzer("us-east-1", "ext", "ACCOUNT", "ACTIVE")],
			"eu-west-1": [analyzer("eu-west-1", "ext", "ACCOUNT", "ACTIVE")],
		},
		unknown_eu,
	)
	by_region(rs) == {"us-east-1": "PASS", "eu-west-1": "NOT_ASSESSED"}
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "AccessDeniedException")
	count(rs) == 2
}

# A region the source has no entry for is unknown in facts and listed so.
test_region_without_entry if {
	rs := ld_aa_01.results with input as {
		"account": acct,
		"regions": ["eu-west-1", "us-east-1"],
		"analyzers": {
			"us-east-1": {"region": "us-east-1", "analyzers": [analyzer("us-east-1", "ext", "ACCOUNT", "ACTIVE")]},
			"eu-west-1": {"region": "eu-west-1", "analyzers": []},
		},
		"analyzer_unknown": {"eu-west-1": {"region": "eu-west-1", "code": "IncompleteData", "action": "access-analyzer:ListAnalyzers", "reason": "no result for eu-west-1"}},
	}
	by_region(rs) == {"us-east-1": "PASS", "eu-west-1": "NOT_ASSESSED"}
}

# Without the region list (the source failed) nothing is claimed.
test_regions_not_known if {
	rs := ld_aa_01.results with input as {"account": acct, "regions": null, "analyzers": {}, "analyzer_unknown": {}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	contains(r.message, "enabled regions are not known")
}

test_no_enabled_region if {
	rs := ld_aa_01.results with input as inp({}, {})
	[r.status | some r in rs] == ["NOT_ASSESSED"]
}
