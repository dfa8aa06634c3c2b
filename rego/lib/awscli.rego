# METADATA
# description: |
#   The local AWS CLI configuration (input.aws_config): which files were read
#   and whether there is any configuration to judge. Where none exists (no
#   config file, no credentials file, no --aws-config-dir named), the local
#   checks are NOT_APPLICABLE.
package lockdown.lib.awscli

cfg := input.aws_config

config_path := cfg.config_file if {
	cfg.config_file != ""
} else := concat("/", [cfg.dir, "config"])

credentials_path := cfg.credentials_file if {
	cfg.credentials_file != ""
} else := concat("/", [cfg.dir, "credentials"])

# absent: the machine has no AWS CLI configuration at all.
absent if {
	cfg != null
	not cfg.config_file_found
	not cfg.credentials_file_found
	not cfg.explicit
}

absent_message := sprintf("There is no AWS CLI configuration on this machine (neither %s nor %s exists, and no --aws-config-dir was named), so there is nothing local to judge.", [config_path, credentials_path])
