package lockdown.checks.ld_cli_02_test

import data.lockdown.checks.ld_cli_02

profile(name, key, owner) := {"name": name, "access_key_id": key, "access_key_owner_arn": owner}

inp(profiles) := {"aws_config": {"dir": "/home/u/.aws", "credentials_file_found": true, "profiles": profiles}}

statuses(rs) := {r.resource.name: r.status | some r in rs}

test_statuses if {
	rs := ld_cli_02.results with input as inp([
		profile("default", "AKIAEXAMPLEUSER00001", "arn:aws:iam::111122223333:user/alice"),
		profile("old", "AKIAEXAMPLEROOT00001", "arn:aws:iam::111122223333:root"),
		profile("other", "AKIAEXAMPLEOTHER0001", ""),
		profile("admin", "", ""),
	])
	statuses(rs) == {"default": "PASS", "old": "FAIL", "other": "NOT_ASSESSED"}
}

test_no_keys_passes if {
	rs := ld_cli_02.results with input as inp([profile("sso", "", "")])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.name == "/home/u/.aws/credentials"
}

test_not_recorded if {
	rs := ld_cli_02.results with input as {"aws_config": null}
	some r in rs
	r.status == "NOT_ASSESSED"
}

test_no_configuration_not_applicable if {
	rs := ld_cli_02.results with input as {"aws_config": {"dir": "/home/runner/.aws", "config_file_found": false, "credentials_file_found": false, "profiles": []}}
	count(rs) == 1
	some r in rs
	r.status == "NOT_APPLICABLE"
	r.resource == {"arn": "awscli:file/credentials", "type": "AWSCLI::File", "name": "/home/runner/.aws/credentials"}
}

# A named --aws-config-dir with nothing in it is judged, not skipped.
test_explicit_dir_is_judged if {
	rs := ld_cli_02.results with input as {"aws_config": {"dir": "/tmp/aws", "explicit": true, "profiles": []}}
	some r in rs
	r.status == "PASS"
}
