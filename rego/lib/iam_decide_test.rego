package lockdown.lib.iam_decide_test

# Tests of the lockdown.iam.decide built-in on principals described in full:
# the guide's IAMRequireMFA deny, and the Bool-false form that misses
# requests signed with long-term access keys.

require_mfa_null := {
	"Version": "2012-10-17",
	"Statement": [
		{"Effect": "Allow", "Action": "*", "Resource": "*"},
		{
			"Sid": "DoNotAllowAnythingOtherThanAboveUnlessMFA",
			"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
			"Condition": {"Null": {"aws:MultiFactorAuthAge": "true"}},
		},
	],
}

require_mfa_bool_false := {
	"Version": "2012-10-17",
	"Statement": [
		{"Effect": "Allow", "Action": "*", "Resource": "*"},
		{
			"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
			"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
		},
	],
}

alice(policy) := {
	"arn": "arn:aws:iam::111122223333:user/alice", "type": "user", "name": "alice",
	"id": "AIDAEXAMPLEALICE00001", "account_id": "111122223333", "policies": [policy],
}

test_null_deny_blocks_access_keys if {
	d := lockdown.iam.decide(alice(require_mfa_null), "s3:ListAllMyBuckets", "*", "access_key")
	d.decision == "ExplicitDeny"
	some m in d.matched
	m.sid == "DoNotAllowAnythingOtherThanAboveUnlessMFA"
	m.effect == "Deny"
}

test_null_deny_exempts_iam if {
	d := lockdown.iam.decide(alice(require_mfa_null), "iam:CreateUser", "*", "access_key")
	d.allowed
}

test_mfa_session_allowed if {
	d := lockdown.iam.decide(alice(require_mfa_null), "s3:ListAllMyBuckets", "*", "mfa_session")
	d.decision == "Allow"
}

test_bool_false_misses_access_keys if {
	lockdown.iam.decide(alice(require_mfa_bool_false), "s3:ListAllMyBuckets", "*", "access_key").allowed
	lockdown.iam.decide(alice(require_mfa_bool_false), "s3:ListAllMyBuckets", "*", "session_no_mfa").decision == "ExplicitDeny"
}

test_explicit_context_object if {
	d := lockdown.iam.decide(alice(require_mfa_null), "s3:ListAllMyBuckets", "*", {"aws:MultiFactorAuthAge": 30})
	d.allowed
}

test_missing_keys_reported if {
	d := lockdown.iam.decide(alice(require_mfa_bool_false), "s3:ListAllMyBuckets", "*", "none")
	"aws:MultiFactorAuthPresent" in d.missing
}

require_mfa_boolifexists := {
	"Version": "2012-10-17",
	"Statement": [
		{"Effect": "Allow", "Action": "*", "Resource": "*"},
		{
			"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
			"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
		},
	],
}

# The equivalent encoding denies in both contexts without MFA, like Null.
test_boolifexists_equivalent_to_null if {
	every ctx in ["access_key", "session_no_mfa"] {
		lockdown.iam.decide(alice(require_mfa_boolifexists), "s3:ListAllMyBuckets", "*", ctx).decision == "ExplicitDeny"
		lockdown.iam.decide(alice(require_mfa_null), "s3:ListAllMyBuckets", "*", ctx).decision == "ExplicitDeny"
	}
	lockdown.iam.decide(alice(require_mfa_boolifexists), "s3:ListAllMyBuckets", "*", "mfa_session").allowed
}
