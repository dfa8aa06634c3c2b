package lockdown.lib.tags_test

import data.lockdown.lib.tags

test_system_tags_ignored if {
	tags.problem({"aws:cloudformation:stack-name": "x", "AWS:foo": "y"}, "") == "has no tags other than system (aws:) tags"
	not tags.problem({"team": "a"}, "")
	tags.problem({}, "") == "has no tags other than system (aws:) tags"
}

test_required_keys if {
	tags.problem({"team": "a"}, "team, owner") == "lacks the required tag keys owner"
	not tags.problem({"team": "a", "owner": "b"}, " team,owner ")
	tags.problem({"Team": "a"}, "team") == "lacks the required tag keys team"
}
