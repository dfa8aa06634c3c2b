package lockdown.checks.ex_trail_01_test

import data.lockdown.checks.ex_trail_01

alice := "arn:aws:iam::111122223333:user/alice"

bob := "arn:aws:iam::111122223333:user/bob"

# The input the check reads (see `lockdown audit --format input`).
account := {
	"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
	"params": {"trail_actions": "cloudtrail:StopLogging, cloudtrail:DeleteTrail"},
	"policy_unknown": {},
	"iam": {"users": {
		alice: {"arn": alice, "name": "alice"},
		bob: {"arn": bob, "name": "bob"},
	}},
}

# A stand-in for lockdown.iam.decide: a Rego test has no audited account, so
# the built-in is replaced with one that allows bob everything without MFA.
decide_bob_allowed(principal, _, _, _) := {"allowed": allowed, "decision": "Allow"} if {
	allowed := principal == bob
}

status_of(results, arn) := {r.status | some r in results; r.resource.arn == arn}

test_user_who_can_stop_logging_fails if {
	rs := ex_trail_01.results with input as account with lockdown.iam.decide as decide_bob_allowed
	status_of(rs, alice) == {"PASS"}
	status_of(rs, bob) == {"FAIL"}
	some r in rs
	r.resource.arn == bob
	r.evidence.actions == ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging"]
	contains(r.message, "access_key cloudtrail:StopLogging")
}

test_parameter_chooses_the_actions if {
	one := object.union(account, {"params": {"trail_actions": "cloudtrail:UpdateTrail"}})
	rs := ex_trail_01.results with input as one with lockdown.iam.decide as decide_bob_allowed
	some r in rs
	r.resource.arn == bob
	r.evidence.actions == ["cloudtrail:UpdateTrail"]
}

test_unknown_policies_not_assessed if {
	carol := {"arn": "arn:aws:iam::111122223333:user/carol", "name": "carol", "type": "AWS::IAM::User", "reason": "group Ops is not described"}
	unknown := object.union(account, {"policy_unknown": {carol.arn: carol}})
	rs := ex_trail_01.results with input as unknown with lockdown.iam.decide as decide_bob_allowed
	status_of(rs, carol.arn) == {"NOT_ASSESSED"}
}

test_no_users_not_applicable if {
	empty := json.patch(account, [{"op": "replace", "path": "/iam/users", "value": {}}])
	rs := ex_trail_01.results with input as empty
	[r] := [r | some r in rs]
	r.status == "NOT_APPLICABLE"
	r.resource.type == "AWS::Account"
}

# The real built-in, on a principal described in full: a Deny on the
# actions without MFA, as the remediation suggests, leaves only MFA sessions.
test_decide_with_a_principal_object if {
	p := {"arn": alice, "type": "user", "name": "alice", "account_id": "111122223333", "policies": [{
		"Version": "2012-10-17",
		"Statement": [
			{"Effect": "Allow", "Action": "cloudtrail:*", "Resource": "*"},
			{
				"Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*",
				"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
			},
		],
	}]}
	not lockdown.iam.decide(p, "cloudtrail:StopLogging", "*", "access_key").allowed
	not lockdown.iam.decide(p, "cloudtrail:StopLogging", "*", "session_no_mfa").allowed
	lockdown.iam.decide(p, "cloudtrail:StopLogging", "*", "mfa_session").allowed
}
