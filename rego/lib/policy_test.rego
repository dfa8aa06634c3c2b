package lockdown.lib.policy_test

import data.lockdown.lib.policy

admin_doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

test_as_array if {
	policy.as_array("a") == ["a"]
	policy.as_array(["a", "b"]) == ["a", "b"]
	policy.as_array({"k": 1}) == [{"k": 1}]
}

test_full_admin_shapes if {
	policy.full_admin(admin_doc)
	policy.full_admin({"Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]}})
	policy.full_admin({"Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": "*"}]})
}

test_not_full_admin if {
	not policy.full_admin({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})
	not policy.full_admin({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
	not policy.full_admin({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket"}]})
	not policy.full_admin({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]})
}

facts := {"policies": {
	"arn:aws:iam::1:policy/AdminPolicy": {"arn": "arn:aws:iam::1:policy/AdminPolicy", "document": admin_doc},
	"arn:aws:iam::1:policy/Read": {"arn": "arn:aws:iam::1:policy/Read", "document": {"Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}},
	"arn:aws:iam::1:policy/Broken": {"arn": "arn:aws:iam::1:policy/Broken", "document": null},
}}

test_is_admin_managed if {
	policy.is_admin({"attached_policies": ["arn:aws:iam::1:policy/AdminPolicy"], "inline_policies": []}) with input as facts
	not policy.is_admin({"attached_policies": ["arn:aws:iam::1:policy/Read"], "inline_policies": []}) with input as facts
}

test_is_admin_aws_managed_without_document if {
	policy.is_admin({"attached_policies": ["arn:aws:iam::aws:policy/AdministratorAccess"], "inline_policies": []}) with input as facts
	policy.is_admin({"attached_policies": ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"], "inline_policies": []}) with input as facts
}

test_is_admin_inline if {
	policy.is_admin({"attached_policies": [], "inline_policies": [{"name": "all", "document": admin_doc}]}) with input as facts
}

test_unknown_policies if {
	p := {"attached_policies": ["arn:aws:iam::1:policy/Broken", "arn:aws:iam::1:policy/Missing", "arn:aws:iam::1:policy/Read"], "inline_policies": [{"name": "bad", "document": null}]}
	policy.unknown_policies(p) == {"arn:aws:iam::1:policy/Broken", "arn:aws:iam::1:policy/Missing", "inline:bad"} with input as facts
}
