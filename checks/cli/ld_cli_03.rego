# METADATA
# title: AWS CLI credentials file is private to its owner
# description: |
#   ~/.aws/credentials holds the IAM user's secret access key. Any permission
#   for group or others (mode bits 077) lets other local accounts read or
#   replace it; the file should be mode 0600.
# custom:
#   id: LD-CLI-03
#   severity: high
#   section: AWS CLI
#   guide_step: "Add the access keys you saved after creating your IAM user into the credentials file."
#   requires: [aws_config]
#   remediation: |
#     Restrict the file to its owner:
#       chmod 600 ~/.aws/credentials
#     If other accounts could read it, rotate the keys it holds:
#       aws iam create-access-key --user-name USER
#       aws iam delete-access-key --user-name USER --access-key-id OLD_KEY_ID
#   docs_url: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
package lockdown.checks.ld_cli_03

import data.lockdown.lib.awscli
import data.lockdown.lib.result

cfg := input.aws_config

file := result.cli_file("credentials", awscli.credentials_path)

results contains result.not_assessed(result.cli_file("credentials", "~/.aws/credentials"), "The AWS CLI configuration was not recorded in the snapshot.") if {
	cfg == null
}

results contains verdict if {
	cfg != null
	not awscli.absent
}

results contains result.not_applicable(result.cli_file("credentials", awscli.credentials_path), awscli.absent_message) if awscli.absent

verdict := result.pass(file, "There is no AWS CLI credentials file.") if {
	not cfg.credentials_file_found
} else := result.not_assessed(file, msg) if {
	cfg.credentials_file_perm == null
	msg := sprintf("The credentials file's permissions are unknown (mode %q).", [cfg.credentials_file_mode])
} else := result.fail(file, msg) if {
	bits.and(cfg.credentials_file_perm, 63) != 0
	msg := sprintf("The credentials file has mode %s: group or others have access to the secret access keys in it. Make it 0600.", [cfg.credentials_file_mode])
} else := result.pass(file, msg) if {
	msg := sprintf("The credentials file has mode %s, private to its owner.", [cfg.credentials_file_mode])
}
