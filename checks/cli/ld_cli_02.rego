# METADATA
# title: No AWS CLI profile holds root access keys
# description: |
#   The guide's CLI uses the IAM user's access keys; root access keys should
#   not exist at all, let alone sit in ~/.aws/credentials. A profile whose
#   access key belongs to the account root (owner ARN ending ":root") fails; a
#   profile whose key owner is unknown is not assessed.
# custom:
#   id: LD-CLI-02
#   severity: critical
#   section: AWS CLI
#   guide_step: "Add the access keys you saved after creating your IAM user into the credentials file."
#   requires: [aws_config]
#   remediation: |
#     Delete the root access key (sign in as root > account name > Security
#     credentials > Access keys > Delete), remove it from ~/.aws/credentials, and
#     configure the IAM user's key instead:
#       aws configure --profile default
#     Check which identity a profile uses: aws sts get-caller-identity --profile PROFILE
#   docs_url: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
package lockdown.checks.ld_cli_02

import data.lockdown.lib.awscli
import data.lockdown.lib.result

cfg := input.aws_config

key_profiles contains p if {
	some p in cfg.profiles
	p.access_key_id != ""
}

results contains result.not_assessed(result.cli_file("credentials", "~/.aws/credentials"), "The AWS CLI configuration was not recorded in the snapshot.") if {
	cfg == null
}

results contains verdict(p) if some p in key_profiles

results contains result.not_applicable(result.cli_file("credentials", awscli.credentials_path), awscli.absent_message) if awscli.absent

verdict(p) := result.not_assessed(result.cli_profile(p.name), msg) if {
	p.access_key_owner_arn == ""
	msg := sprintf("Profile %s holds an access key whose owner is unknown.", [p.name])
} else := result.fail(result.cli_profile(p.name), msg) if {
	endswith(p.access_key_owner_arn, ":root")
	msg := sprintf("Profile %s holds an access key of the root user (%s). The guide wants no root access keys; use an IAM user's key.", [p.name, p.access_key_owner_arn])
} else := result.pass(result.cli_profile(p.name), msg) if {
	msg := sprintf("Profile %s holds an access key of %s, not of the root user.", [p.name, p.access_key_owner_arn])
}

results contains result.pass(result.cli_file("credentials", awscli.credentials_path), "No AWS CLI profile holds an access key.") if {
	cfg != null
	not awscli.absent
	count(key_profiles) == 0
}
