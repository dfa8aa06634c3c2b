package lockdown.checks.ld_aa_02_test

import data.lockdown.checks.ld_aa_02

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

analyzer(region, name, type, tags) := {
	"name": name,
	"arn": sprintf("arn:aws:access-analyzer:%s:111122223333:analyzer/%s", [region, name]),
	"region": region,
	"type": type,
	"status": "ACTIVE",
	"status_reason": "",
	"external_access": type in {"ACCOUNT", "ORGANIZATION"},
	"tags": tags,
	"user_tag_keys": sort([k | some k, _ in tags; not startswith(k, "aws:")]),
}

inp(regions, unknown, keys) := {
	"account": acct,
	"regions": [r | some r, _ in regions],
	"analyzers": {r: {"region": r, "analyzers": list} | some r, list in regions},
	"analyzer_unknown": unknown,
	"params": {"analyzer_required_tag_keys": keys},
}

by_name(rs) := {r.resource.name: r.status | some r in rs}

test_tagged_untagged_and_system_tags_only if {
	rs := ld_aa_02.results with input as inp(
		{
			"us-east-1": [analyzer("us-east-1", "tagged", "ACCOUNT", {"Owner": "security"}), analyzer("us-east-1", "bare", "ACCOUNT_UNUSED_ACCESS", {})],
			"eu-west-1": [analyzer("eu-west-1", "system", "ACCOUNT", {"aws:cloudformation:stack-name": "aa"})],
		},
		{}, "",
	)
	by_name(rs) == {"tagged": "PASS", "bare": "FAIL", "system": "FAIL"}
	some r in rs
	r.resource.name == "system"
	r.resource.type == "AWS::AccessAnalyzer::Analyzer"
	r.resource.arn == "arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/system"
	contains(r.message, "no tags other than AWS system tags")
}

test_required_keys if {
	rs := ld_aa_02.results with input as inp(
		{"us-east-1": [
			analyzer("us-east-1", "both", "ACCOUNT", {"Owner": "a", "CostCenter": "b"}),
			analyzer("us-east-1", "one", "ACCOUNT", {"Owner": "a"}),
		]},
		{}, " Owner , CostCenter",
	)
	by_name(rs) == {"both": "PASS", "one": "FAIL"}
	some r in rs
	r.resource.name == "one"
	r.evidence.items == ["CostCenter"]
	contains(r.message, "lacks the required tag key(s) CostCenter")
}

unknown_eu := {"eu-west-1": {"region": "eu-west-1", "code": "ThrottlingException", "action": "access-analyzer:ListAnalyzers", "reason": "access-analyzer:ListAnalyzers failed in eu-west-1 (ThrottlingException: rate exceeded)"}}

# The failed region is NOT_ASSESSED; the analyzer read there before the
# error is judged, and so are the other regions'.
test_one_region_error if {
	rs := ld_aa_02.results with input as inp(
		{
			"us-east-1": [analyzer("us-east-1", "a", "ACCOUNT", {"Owner": "x"})],
			"eu-west-1": [analyzer("eu-west-1", "b", "ACCOUNT", {})],
		},
		unknown_eu, "",
	)
	{[r.resource.name, r.status] | some r in rs} == {["a", "PASS"], ["b", "FAIL"], ["111122223333", "NOT_ASSESSED"]}
}

test_no_analyzers_is_one_pass if {
	rs := ld_aa_02.results with input as inp({"us-east-1": [], "eu-west-1": []}, {}, "")
	[r.resource.type | some r in rs] == ["AWS::Account"]
	[r.status | some r in rs] == ["PASS"]
}

# No all-clear while a region is unknown.
test_no_analyzers_with_unknown_region if {
	rs := ld_aa_02.results with input as inp({"us-east-1": [], "eu-west-1": []}, unknown_eu, "")
	[r.status | some r in rs] == ["NOT_ASSESSED"]
}

test_regions_not_known if {
	rs := ld_aa_02.results with input as {"account": acct, "regions": null, "analyzers": {}, "analyzer_unknown": {}, "params": {"analyzer_required_tag_keys": ""}}
	[r.status | some r in rs] == ["NOT_ASSESSED"]
}
