# METADATA
# title: "Centralised root access: root credentials management enabled"
# description: |
#   CIS AWS Foundations v7.0 (centralised root access in AWS Organizations):
#   the RootCredentialsManagement feature of iam:ListOrganizationsFeatures is enabled, so that
#   the management account can remove and audit member accounts' root credentials, and new member accounts are created without them.
#   "Not in an organization" means the API answered OrganizationNotFound:
#   the feature does not exist for a standalone account (NOT_APPLICABLE,
#   saying so). The API answers only in the organization's management
#   account or the delegated administrator for centralised root access;
#   elsewhere (AccountNotManagementOrDelegatedAdministrator) the check is
#   NOT_ASSESSED naming that answer. An organization not in all-features
#   mode, or without IAM trusted access, cannot enable the feature: FAIL,
#   naming the answer.
# custom:
#   id: LD-ORG-01
#   severity: medium
#   section: Organizations
#   requires: [organizations_features]
#   remediation: |
#     From the management account: Console: IAM > Root access management > Enable,
#     and select the feature. AWS CLI:
#       aws organizations enable-aws-service-access --service-principal iam.amazonaws.com
#       aws iam enable-organizations-root-credentials-management
#       aws iam enable-organizations-root-sessions
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
package lockdown.checks.ld_org_01

import data.lockdown.lib.rootaccess

default enabled := false

enabled if input.organizations_features.root_credentials_management == true

results := rootaccess.verdicts("RootCredentialsManagement", enabled, "the management account can remove and audit member accounts' root credentials, and new member accounts are created without them")
