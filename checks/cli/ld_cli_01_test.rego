package lockdown.checks.ld_cli_01_test

import data.lockdown.checks.ld_cli_01

profile(name, role, src, mfa) := {"name": name, "role_arn": role, "source_profile": src, "mfa_serial": mfa}

role_arn := "arn:aws:iam::111122223333:role/AdminRole"

mfa := "arn:aws:iam::111122223333:mfa/alice"

inp(profiles) := {"aws_config": {"dir": "/home/u/.aws", "config_file_found": true, "profiles": profiles}}

statuses(rs) := {r.resource.name: r.status | some r in rs}

test_guide_setup_passes if {
	rs := ld_cli_01.results with input as inp([profile("default", "", "", ""), profile("admin", role_arn, "default", mfa)])
	statuses(rs) == {"admin": "PASS"}
	some r in rs
	r.resource.arn == "awscli:profile/admin"
}

test_missing_mfa_or_source_fails if {
	rs := ld_cli_01.results with input as inp([
		profile("default", "", "", ""),
		profile("nomfa", role_arn, "default", ""),
		profile("nosrc", role_arn, "", mfa),
		profile("dangling", role_arn, "gone", mfa),
	])
	statuses(rs) == {"nomfa": "FAIL", "nosrc": "FAIL", "dangling": "FAIL"}
	some r in rs
	r.resource.name == "nomfa"
	contains(r.message, "without mfa_serial")
}

test_no_role_profile_fails if {
	rs := ld_cli_01.results with input as inp([profile("default", "", "", "")])
	count(rs) == 1
	some r in rs
	r.status == "FAIL"
	r.resource.name == "/home/u/.aws/config"
}

test_no_config_file_fails if {
	rs := ld_cli_01.results with input as {"aws_config": {"dir": "/home/u/.aws", "config_file_found": false, "explicit": true, "profiles": []}}
	some r in rs
	r.status == "FAIL"
	contains(r.message, "no config file was found")
}

test_not_recorded if {
	rs := ld_cli_01.results with input as {"aws_config": null}
	some r in rs
	r.status == "NOT_ASSESSED"
}

# A machine with no AWS CLI configuration at all has nothing to judge: one
# NOT_APPLICABLE result, never a PASS or a FAIL.
test_no_configuration_not_applicable if {
	rs := ld_cli_01.results with input as {"aws_config": {
		"dir": "/home/runner/.aws", "config_file": "/home/runner/.aws/config", "credentials_file": "/home/runner/.aws/credentials",
		"config_file_found": false, "credentials_file_found": false, "explicit": false, "profiles": [],
	}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_APPLICABLE"
	r.resource.type == "AWSCLI::File"
	r.resource.name == "/home/runner/.aws/config"
	contains(r.message, "no AWS CLI configuration")
}

# A credentials file alone is configuration: the missing admin profile fails.
test_credentials_file_only_fails if {
	rs := ld_cli_01.results with input as {"aws_config": {"dir": "/h/.aws", "config_file_found": false, "credentials_file_found": true, "profiles": []}}
	some r in rs
	r.status == "FAIL"
}

# The file the SDK reads (AWS_CONFIG_FILE) is the one named.
test_config_file_path_named if {
	rs := ld_cli_01.results with input as {"aws_config": {"dir": "/h/.aws", "config_file": "/etc/aws/config", "config_file_found": true, "profiles": []}}
	some r in rs
	r.resource.name == "/etc/aws/config"
}
