# METADATA
# title: AWS CLI admin profile assumes a role with MFA
# description: |
#   The guide keeps the IAM user's long-term keys powerless and reaches admin
#   rights only through a profile that assumes AdminRole with an MFA code.
#   Every CLI profile with role_arn must name a source_profile that exists and
#   an mfa_serial; if no profile assumes a role at all, the setup the guide
#   describes is missing.
# custom:
#   id: LD-CLI-01
#   severity: medium
#   section: AWS CLI
#   guide_step: "[profile admin] role_arn = arn:aws:iam::123456789012:role/AdminRole, source_profile = default, mfa_serial = arn:aws:iam::123456789012:mfa/username"
#   requires: [aws_config]
#   remediation: |
#     Add the admin profile to ~/.aws/config (or set its keys with the CLI):
#       aws configure set profile.admin.role_arn arn:aws:iam::ACCOUNT_ID:role/AdminRole
#       aws configure set profile.admin.source_profile default
#       aws configure set profile.admin.mfa_serial arn:aws:iam::ACCOUNT_ID:mfa/USER
#     Then use it: aws iam list-groups --profile admin
#   docs_url: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
package lockdown.checks.ld_cli_01

import data.lockdown.lib.awscli
import data.lockdown.lib.result

cfg := input.aws_config

profile_names := {p.name | some p in cfg.profiles}

role_profiles contains p if {
	some p in cfg.profiles
	p.role_arn != ""
}

missing(p) := array.concat(
	["source_profile" | p.source_profile == ""],
	["mfa_serial" | p.mfa_serial == ""],
)

results contains result.not_assessed(result.cli_file("config", "~/.aws/config"), "The AWS CLI configuration was not recorded in the snapshot.") if {
	cfg == null
}

results contains verdict(p) if some p in role_profiles

results contains result.not_applicable(result.cli_file("config", awscli.config_path), awscli.absent_message) if awscli.absent

verdict(p) := result.fail(result.cli_profile(p.name), msg) if {
	m := missing(p)
	count(m) > 0
	msg := sprintf("Profile %s assumes %s without %s. The guide's admin profile names source_profile and mfa_serial so the role is only reached with an MFA code.", [p.name, p.role_arn, concat(" and ", m)])
} else := result.fail(result.cli_profile(p.name), msg) if {
	not profile_names[p.source_profile]
	msg := sprintf("Profile %s uses source_profile %s, which is not defined.", [p.name, p.source_profile])
} else := result.pass(result.cli_profile(p.name), msg) if {
	msg := sprintf("Profile %s assumes %s from profile %s with MFA device %s.", [p.name, p.role_arn, p.source_profile, p.mfa_serial])
}

results contains result.fail(result.cli_file("config", awscli.config_path), msg) if {
	cfg != null
	not awscli.absent
	count(role_profiles) == 0
	found := {true: "", false: " (no config file was found)"}[cfg.config_file_found]
	msg := sprintf("No AWS CLI profile assumes a role%s. The guide wants an admin profile with role_arn, source_profile and mfa_serial.", [found])
}
