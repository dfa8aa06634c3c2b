# METADATA
# description: |
#   Constructors for check results and the resources they are about. A check's
#   `results` set holds objects {status, resource, message, detail?, evidence?}; the engine
#   adds the check's title, severity and fingerprint.
package lockdown.lib.result

pass(resource, message) := {"status": "PASS", "resource": resource, "message": message}

fail(resource, message) := {"status": "FAIL", "resource": resource, "message": message}

not_assessed(resource, message) := {"status": "NOT_ASSESSED", "resource": resource, "message": message}

# not_applicable: the check has nothing to judge here (say why in message).
not_applicable(resource, message) := {"status": "NOT_APPLICABLE", "resource": resource, "message": message}

# The *_detail forms tell apart several results on one resource
# (e.g. access key 1 and 2 of a user).
pass_detail(resource, detail, message) := object.union(pass(resource, message), {"detail": detail})

fail_detail(resource, detail, message) := object.union(fail(resource, message), {"detail": detail})

not_assessed_detail(resource, detail, message) := object.union(not_assessed(resource, message), {"detail": detail})

not_applicable_detail(resource, detail, message) := object.union(not_applicable(resource, message), {"detail": detail})

# with_evidence adds the whole evidence behind a message: an object of
# string lists (actions, resources, statements, contexts, principals, items),
# never truncated. "*" in actions means any action.
with_evidence(r, evidence) := object.union(r, {"evidence": evidence})

# account is the audited account; root user results are about it too.
account := {"arn": input.account.arn, "type": "AWS::Account", "name": input.account.id}

user(arn, name) := {"arn": arn, "type": "AWS::IAM::User", "name": name}

role(r) := {"arn": r.arn, "type": "AWS::IAM::Role", "name": r.name}

group(g) := {"arn": g.arn, "type": "AWS::IAM::Group", "name": g.name}

policy(p) := {"arn": p.arn, "type": "AWS::IAM::Policy", "name": p.name}

# Local AWS CLI files have no ARN; these stable identifiers stand in for one.
cli_profile(name) := {"arn": sprintf("awscli:profile/%s", [name]), "type": "AWSCLI::Profile", "name": name}

cli_file(kind, path) := {"arn": sprintf("awscli:file/%s", [kind]), "type": "AWSCLI::File", "name": path}

# entity is the resource of an entity facts list as unknown
# (input.credential_unknown, input.policy_unknown).
entity(u) := {"arn": u.arn, "type": u.type, "name": u.name}
