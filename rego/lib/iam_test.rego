package lockdown.lib.iam_test

import data.lockdown.lib.iam

test_grant_source_group if {
	iam.grant_source({"policy": "P", "statement": "S", "group": "G", "policy_kind": "group-managed"}) == "P statement S (group G)"
}

test_grant_source_direct if {
	iam.grant_source({"policy": "P", "statement": "#2", "policy_kind": "user-inline"}) == "P statement #2 (user-inline)"
}

test_more if {
	iam.more(0) == ""
	iam.more(3) == " (3 more)"
}

test_role_name if {
	iam.role_name("arn:aws:iam::111122223333:role/path/AdminRole") == "AdminRole"
}

test_context_suffix if {
	iam.context_suffix("mfa_session") == ""
	iam.context_suffix("access_key") == " with long-term access keys and no MFA"
}
