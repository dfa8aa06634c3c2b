package snapshottest

// The guide's account as written, in an AWS Organization whose SCP requires
// MFA for everything but self-service: the guide's intent reached by an
// organization policy rather than by IAMRequireMFA alone.

import "github.com/lockdown-dev/lockdown/internal/snapshot"

// RequireMFASCP denies every action outside self-service in a request
// without MFA (an SCP cannot name the user, so self-service is named by
// action).
const RequireMFASCP = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllWithoutMFA","Effect":"Deny",
"NotAction":["iam:ChangePassword","iam:GetUser","iam:GetAccountPasswordPolicy","iam:ListMFADevices","iam:ListVirtualMFADevices",
"iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:ResyncMFADevice","sts:GetSessionToken"],
"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`

// guideInOrganization is GuideAsWritten as a member of the CIS
// organization with RequireMFASCP at the root, or as its management
// account.
func guideInOrganization(management bool) *snapshot.Snapshot {
	s := GuideAsWritten()
	o := CISOrganization()
	o.Path[2].ID, o.Path[2].Name = AccountID, "guide"
	if management {
		o.ManagementAccountID = AccountID
		o.Path = []snapshot.OrgNode{o.Path[0], o.Path[2]}
	}
	o.Policies = append(o.Policies, snapshot.OrgPolicy{
		ID: "p-requiremfa1", ARN: "arn:aws:organizations::" + o.ManagementAccountID + ":policy/" + CISOrganizationID + "/service_control_policy/p-requiremfa1",
		Name: "RequireMFA", Type: snapshot.OrgPolicySCP, Document: OrgDocument(RequireMFASCP),
	})
	o.Path[0].SCPs = append(o.Path[0].SCPs, "p-requiremfa1")
	s.Organization = o
	s.Sources[snapshot.SourceOrganization] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 2 + 2*len(o.Path)}
	return s
}

var pwd10 = []string{"LD-PWD-02", "LD-PWD-03", "LD-PWD-04", "LD-PWD-05", "LD-PWD-06", "LD-PWD-07", "LD-PWD-08", "LD-PWD-09", "LD-PWD-10"}

func organizationScenarios() []Scenario {
	return []Scenario{
		{
			Path: "org-scp-requires-mfa.json",
			Change: "guide-as-written.json as a member account of an organization whose root carries an SCP denying everything but self-service without MFA " +
				"(beside AWS's FullAWSAccess at every level)",
			Why: "An SCP bounds every user and role of a member account: iam:* without MFA, which AdminPolicy still allows, is now refused by the SCP, " +
				"so LD-MFA-01 passes (the SCP's Deny enforces MFA). AdminPolicy still lets alice manage other users' credentials in an MFA session, " +
				"which self-service never covers (LD-MFA-02). " +
				"The SCP demands MFA only, so AdminPolicy's sts:AssumeRole still works without TLS and with a stale MFA (LD-ADM-02); " +
				"alice is still an administrator with MFA without the role (LD-ADM-01); the trust policy itself has no MFA condition (LD-ADM-03); no password policy (LD-PWD-*).",
			Fail:  append([]string{"LD-PWD-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02", "LD-ADM-03"}, pwd10...),
			Build: func() *snapshot.Snapshot { return guideInOrganization(false) },
		},
		{
			Path:   "org-management-account.json",
			Change: "org-scp-requires-mfa.json, but the account is the organization's management account",
			Why:    "SCPs do not affect users or roles in the management account, so the results are those of guide-as-written.json.",
			Fail:   append([]string{"LD-PWD-01", "LD-MFA-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02", "LD-ADM-03"}, pwd10...),
			Build:  func() *snapshot.Snapshot { return guideInOrganization(true) },
		},
	}
}
