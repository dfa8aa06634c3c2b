# METADATA
# title: "Centralised root access: privileged root sessions enabled"
# description: |
#   CIS AWS Foundations v7.0 (centralised root access in AWS Organizations):
#   the RootSessions feature of iam:ListOrganizationsFeatures is enabled, so that
#   privileged root actions in member accounts run as short-term, task-scoped root sessions from the management account instead of with root credentials.
#   "Not in an organization" means the API answered OrganizationNotFound:
#   the feature does not exist for a standalone account (NOT_APPLICABLE,
#   saying so). The API answers only in the organization's management
#   account or the delegated administrator for centralised root access;
#   elsewhere (AccountNotManagementOrDelegatedAdministrator) the check is
#   NOT_ASSESSED naming that answer. An organization not in all-features
#   mode, or without IAM trusted access, cannot enable the feature: FAIL,
#   naming the answer.
# custom:
#   id: LD-ORG-02
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
package lockdown.checks.ld_org_02

import data.lockdown.lib.rootaccess

default enabled := false

enabled if input.organizations_features.root_sessions == true

results := rootaccess.verdicts("RootSessions", enabled, "privileged root actions in member accounts run as short-term, task-scoped root sessions from the management account instead of with root credentials")
