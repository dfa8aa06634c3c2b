# METADATA
# description: |
#   Structural helpers over IAM policy documents as IAM returns them
#   (Statement, Action and Resource may each be a single value or an array).
#
#   full_admin is a structural approximation of "grants full administrative
#   access": an Allow statement whose Action includes "*" (or "*:*") and whose
#   Resource includes "*". It ignores Deny statements, conditions, NotAction and
#   permissions boundaries, so it can both over- and under-report; checks that
#   need IAM's real decision use the policy evaluator instead.
package lockdown.lib.policy

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)

statements(doc) := as_array(doc.Statement)

full_admin_statement(s) if {
	s.Effect == "Allow"
	some action in as_array(s.Action)
	action in {"*", "*:*"}
	"*" in as_array(s.Resource)
}

full_admin(doc) if {
	some s in statements(doc)
	full_admin_statement(s)
}

# document returns a managed policy's decoded default document; undefined when
# the snapshot lacks it.
document(arn) := doc if {
	doc := input.policies[arn].document
	doc != null
}

# AWS's own AdministratorAccess policy is admin by definition, even when the
# snapshot does not carry its document.
aws_admin_policy(arn) if regex.match(`^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$`, arn)

admin_managed_policies(principal) := {arn |
	some arn in principal.attached_policies
	admin_document(arn)
}

admin_document(arn) if aws_admin_policy(arn)

admin_document(arn) if full_admin(document(arn))

admin_inline_policies(principal) := {p.name |
	some p in principal.inline_policies
	p.document != null
	full_admin(p.document)
}

# unknown_policies names the attached or inline policies whose documents are
# not available, so a verdict about the principal would be a guess.
unknown_policies(principal) := {arn |
	some arn in principal.attached_policies
	not document(arn)
	not aws_admin_policy(arn)
} | {sprintf("inline:%s", [p.name]) |
	some p in principal.inline_policies
	p.document == null
}

# is_admin holds for a user, group or role (facts shape) that has a policy
# granting "*" on "*".
is_admin(principal) if count(admin_managed_policies(principal)) > 0

is_admin(principal) if count(admin_inline_policies(principal)) > 0
