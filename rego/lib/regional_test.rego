package lockdown.lib.regional_test

import data.lockdown.lib.regional

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

unknown := {"eu-west-1": {"region": "eu-west-1", "code": "AccessDeniedException", "action": "access-analyzer:ListAnalyzers", "reason": "access-analyzer:ListAnalyzers failed in eu-west-1 (AccessDeniedException: denied)"}}

test_not_assessed_names_region_and_error if {
	rs := regional.not_assessed(unknown, "X") with input as {"account": acct}
	count(rs) == 1
	some r in rs
	r.status == "NOT_ASSESSED"
	r.detail == "eu-west-1"
	r.resource.arn == acct.arn
	contains(r.message, "AccessDeniedException")
}

test_no_regions if {
	a := regional.no_regions("X") with input as {"account": acct, "regions": null}
	count(a) == 1
	b := regional.no_regions("X") with input as {"account": acct, "regions": []}
	count(b) == 1
	c := regional.no_regions("X") with input as {"account": acct, "regions": ["us-east-1"]}
	count(c) == 0
}

test_names if {
	regional.names(["b", "a"]) == "a, b"
	regional.names([]) == "none"
}
