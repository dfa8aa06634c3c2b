# lockdown's read-only audit role for one AWS account. Apply it in every member account (one
# provider per account, e.g. through an assumed OrganizationAccountAccessRole), or use the
# CloudFormation StackSet template in deploy/cloudformation for a whole organization at once.
#
# The inline policy is policies/lockdown-audit-policy.json, copied here by tools/mkdeploy so that
# the module is self-contained: do not edit the copy.

terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

data "aws_partition" "current" {}

resource "aws_iam_role" "lockdown_audit" {
  name                 = var.role_name
  description          = "Read-only role for lockdown audits"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LockdownAuditor"
      Effect    = "Allow"
      Principal = { AWS = var.auditor_principal_arn }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "lockdown_audit" {
  name   = "lockdown-audit"
  role   = aws_iam_role.lockdown_audit.id
  policy = file("${path.module}/lockdown-audit-policy.json")
}

resource "aws_iam_role_policy_attachment" "security_audit" {
  count      = var.attach_security_audit ? 1 : 0
  role       = aws_iam_role.lockdown_audit.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/SecurityAudit"
}
