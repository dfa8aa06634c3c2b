package lockdown.checks.ld_cli_03_test

import data.lockdown.checks.ld_cli_03

inp(found, mode, perm) := {"aws_config": {"dir": "/home/u/.aws", "credentials_file_found": found, "credentials_file_mode": mode, "credentials_file_perm": perm}}

only(rs) := r if {
	count(rs) == 1
	some r in rs
}

test_private_passes if {
	r := only(ld_cli_03.results) with input as inp(true, "0600", 384)
	r.status == "PASS"
	r.resource.name == "/home/u/.aws/credentials"
	r.resource.arn == "awscli:file/credentials"
}

test_group_readable_fails if {
	r := only(ld_cli_03.results) with input as inp(true, "0640", 416)
	r.status == "FAIL"
	contains(r.message, "0640")
}

test_world_readable_fails if {
	r := only(ld_cli_03.results) with input as inp(true, "0644", 420)
	r.status == "FAIL"
}

test_owner_only_execute_passes if {
	r := only(ld_cli_03.results) with input as inp(true, "0700", 448)
	r.status == "PASS"
}

test_unknown_mode_not_assessed if {
	r := only(ld_cli_03.results) with input as inp(true, "", null)
	r.status == "NOT_ASSESSED"
}

test_no_file_passes if {
	r := only(ld_cli_03.results) with input as {"aws_config": {"dir": "/home/u/.aws", "config_file_found": true, "credentials_file_found": false}}
	r.status == "PASS"
}

test_not_recorded if {
	r := only(ld_cli_03.results) with input as {"aws_config": null}
	r.status == "NOT_ASSESSED"
}

test_no_configuration_not_applicable if {
	r := only(ld_cli_03.results) with input as inp(false, "", null)
	r.status == "NOT_APPLICABLE"
	r.resource.arn == "awscli:file/credentials"
}

test_credentials_file_path_named if {
	r := only(ld_cli_03.results) with input as {"aws_config": {
		"dir": "/h/.aws", "credentials_file": "/run/secrets/aws", "credentials_file_found": true,
		"credentials_file_mode": "0600", "credentials_file_perm": 384,
	}}
	r.resource.name == "/run/secrets/aws"
}
