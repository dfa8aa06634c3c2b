# METADATA
# description: |
#   Phrases for messages about the policy engine's verdicts (input.iam):
#   which statement allowed a request and under which request context.
package lockdown.lib.iam

context_phrase("access_key") := "with long-term access keys and no MFA"

context_phrase("session_no_mfa") := "in a session without MFA"

context_phrase("mfa_session") := "in an MFA session"

context_suffix("mfa_session") := ""

context_suffix(c) := concat("", [" ", context_phrase(c)]) if c != "mfa_session"

# grant_source names the policy and statement, and the group it came through.
grant_source(g) := sprintf("%s statement %s (group %s)", [g.policy, g.statement, g.group]) if {
	object.get(g, "group", "") != ""
} else := sprintf("%s statement %s (%s)", [g.policy, g.statement, g.policy_kind])

action_phrase("lockdownprobe:AnyAction") := "any action (\"*\")"

action_phrase(a) := a if a != "lockdownprobe:AnyAction"

# evidence_action is an action as evidence lists it: "*" for any action.
evidence_action("lockdownprobe:AnyAction") := "*"

evidence_action(a) := a if a != "lockdownprobe:AnyAction"

# grants_evidence is the whole evidence behind a list of grants: every
# action, resource, statement and request context.
grants_evidence(grants) := {
	"actions": [evidence_action(g.action) | some g in grants],
	"resources": [g.resource | some g in grants],
	"statements": [grant_source(g) | some g in grants],
	"contexts": [g.context | some g in grants],
}

more(n) := "" if n <= 0

more(n) := sprintf(" (%d more)", [n]) if n > 0

loophole_phrase("no_mfa") := "without MFA"

loophole_phrase("no_tls") := "without TLS"

loophole_phrase("stale_mfa") := "with an MFA older than 3600 seconds"

role_name(arn) := name if {
	parts := split(arn, "/")
	name := parts[count(parts) - 1]
}

more_roles(n) := "" if n <= 0

more_roles(n) := sprintf(" %d more admin role(s) likewise.", [n]) if n > 0
