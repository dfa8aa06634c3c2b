package lockdown.lib.awscli_test

import data.lockdown.lib.awscli

test_paths_default_to_dir if {
	awscli.config_path == "/h/.aws/config" with input as {"aws_config": {"dir": "/h/.aws"}}
	awscli.credentials_path == "/h/.aws/credentials" with input as {"aws_config": {"dir": "/h/.aws", "credentials_file": ""}}
}

test_paths_as_read if {
	awscli.config_path == "/etc/c" with input as {"aws_config": {"dir": "/h/.aws", "config_file": "/etc/c"}}
	awscli.credentials_path == "/etc/k" with input as {"aws_config": {"dir": "/h/.aws", "credentials_file": "/etc/k"}}
}

test_absent if {
	awscli.absent with input as {"aws_config": {"dir": "/h", "config_file_found": false, "credentials_file_found": false, "explicit": false}}
	not awscli.absent with input as {"aws_config": {"dir": "/h", "config_file_found": true}}
	not awscli.absent with input as {"aws_config": {"dir": "/h", "credentials_file_found": true}}
	not awscli.absent with input as {"aws_config": {"dir": "/h", "explicit": true}}
	not awscli.absent with input as {"aws_config": null}
}
