variable "auditor_principal_arn" {
  description = "ARN of the IAM role or user that runs lockdown audit --org (in the management or delegated administrator account); the only principal the role trusts."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\\w+=,.@/-]+$", var.auditor_principal_arn))
    error_message = "auditor_principal_arn must be the ARN of one IAM role or user (not an account root, not a wildcard)."
  }
}

variable "role_name" {
  description = "Name of the audit role (lockdown audit --org --role-name)."
  type        = string
  default     = "lockdown-audit"
}

variable "attach_security_audit" {
  description = "Also attach the AWS managed policy SecurityAudit (broader read access than lockdown needs)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
}
