package snapshottest

import (
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// ComplianceChecks are the checks that read the sources beyond IAM.
var ComplianceChecks = []string{"LD-ACCT-01", "LD-CERT-01", "LD-AA-01", "LD-AA-02", "LD-EC2-01", "LD-ORG-01", "LD-ORG-02"}

// sourcesTop are whole-source failures of the compliance sources.
func sourcesTop() []Scenario {
	return []Scenario{{
		Path: "compliance-sources-denied.json",
		Change: "guide-compliant collected by a role allowed only IAM's read calls: iam:ListServerCertificates, account:ListRegions, " +
			"account:GetAlternateContact and iam:ListOrganizationsFeatures are AccessDenied, so no regional source could run",
		Why: "Every check that reads a failed source is NOT_ASSESSED as a whole, naming the source's error, never PASS; " +
			"the regional checks need the enabled regions to claim anything about \"every region\". The IAM checks are judged as usual.",
		NotAssessed: ComplianceChecks,
		Build: variant(func(s *snapshot.Snapshot) {
			denied := func(src string) {
				s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusError, Requests: 1, Error: &snapshot.SourceError{
					Code: "AccessDenied", Action: snapshot.SourceActions[src],
					Message: "User: arn:aws:sts::" + AccountID + ":assumed-role/AuditRole/s is not authorized to perform: " + snapshot.SourceActions[src],
				}}
			}
			for _, src := range []string{snapshot.SourceServerCertificates, snapshot.SourceRegions, snapshot.SourceSecurityContact, snapshot.SourceOrganizationsFeatures} {
				denied(src)
			}
			notRun := &snapshot.SourceError{Code: "DependencyFailed", Message: "the enabled regions are unknown (account:ListRegions failed)"}
			s.Sources[snapshot.SourceAccessAnalyzers] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: notRun}
			s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: notRun}
			s.ServerCertificates, s.Regions, s.AccessAnalyzers, s.EC2Instances = nil, nil, nil, nil
			s.SecurityContact, s.OrganizationsFeatures = nil, nil
		}),
	},
		{
			Path:   "not-in-organization.json",
			Change: "the account is in no AWS organization: iam:ListOrganizationsFeatures answered OrganizationNotFoundException",
			Why: "Centralised root access is an AWS Organizations feature; for a standalone account LD-ORG-01 and LD-ORG-02 have nothing to judge " +
				"and are NOT_APPLICABLE, saying so (the root user's own credentials are LD-ROOT-*'s business). No check fails.",
			NotApplicable: []string{"LD-ORG-01", "LD-ORG-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				s.OrganizationsFeatures = nil
				s.Sources[snapshot.SourceOrganizationsFeatures] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 1,
					Note: "OrganizationNotFoundException: The request was rejected because no organization is associated with your account."}
			}),
		},
	}
}

// sourcesVariants are guide-compliant with one compliance item broken.
func sourcesVariants() []Scenario {
	return []Scenario{
		{
			Path:   "server-certificate-expired",
			Change: "the server certificate " + ServerCertificateName + " expired on 2026-11-20, a week before collection",
			Why:    "An expired certificate stored in IAM can still be deployed by mistake (LD-CERT-01).",
			Fail:   []string{"LD-CERT-01"},
			Build:  variant(func(s *snapshot.Snapshot) { s.ServerCertificates[0].Expiration = tp("2026-11-20T23:59:59Z") }),
		},
		{
			Path:   "no-security-contact",
			Change: "no security alternate contact is registered (GetAlternateContact SECURITY: ResourceNotFoundException)",
			Why:    "AWS security notifications reach only the root user's address (LD-ACCT-01).",
			Fail:   []string{"LD-ACCT-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				s.SecurityContact = nil
				s.Sources[snapshot.SourceSecurityContact] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 1,
					Note: "ResourceNotFoundException: no SECURITY alternate contact is registered"}
			}),
		},
		{
			Path:   "analyzer-unused-access-only",
			Change: "eu-west-1's only analyzer is an unused-access analyzer (ACCOUNT_UNUSED_ACCESS) instead of an external-access one",
			Why: "An unused-access analyzer reports unused roles, keys and permissions, not resources shared outside the account, " +
				"so eu-west-1 has no external-access analyzer (LD-AA-01). It is tagged, so LD-AA-02 passes.",
			Fail: []string{"LD-AA-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				a := &guideAnalyzers(s, "eu-west-1").Analyzers[0]
				a.Name, a.ARN, a.Type = UnusedAnalyzerName, AnalyzerARN("eu-west-1", UnusedAnalyzerName), "ACCOUNT_UNUSED_ACCESS"
			}),
		},
		{
			Path:   "analyzer-disabled",
			Change: "us-west-2's external-access analyzer is DISABLED (status reason SERVICE_LINKED_ROLE_CREATION_FAILED)",
			Why:    "Only an ACTIVE analyzer analyses anything: us-west-2 has no active external-access analyzer (LD-AA-01).",
			Fail:   []string{"LD-AA-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				a := &guideAnalyzers(s, "us-west-2").Analyzers[0]
				a.Status, a.StatusReason = "DISABLED", "SERVICE_LINKED_ROLE_CREATION_FAILED"
			}),
		},
		{
			Path:   "analyzer-system-tags-only",
			Change: "us-west-2's analyzer carries only the system tag aws:cloudformation:stack-name",
			Why:    "System tags (aws:) are applied by AWS and are ignored, as Security Hub IAM.23 ignores them: the analyzer is untagged (LD-AA-02).",
			Fail:   []string{"LD-AA-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				guideAnalyzers(s, "us-west-2").Analyzers[0].Tags = []snapshot.Tag{{Key: "aws:cloudformation:stack-name", Value: "access-analyzer"}}
			}),
		},
		{
			Path:   "instance-without-profile",
			Change: "the running instance " + RunningInstanceID + " (us-east-1) has no instance profile",
			Why:    "Software on it can only call AWS with credentials stored on the instance (LD-EC2-01).",
			Fail:   []string{"LD-EC2-01"},
			Build:  variant(func(s *snapshot.Snapshot) { instance(s, RunningInstanceID).InstanceProfileARN = "" }),
		},
		{
			Path:   "stopped-instance-without-profile",
			Change: "the stopped instance " + StoppedInstanceID + " (eu-west-1) has no instance profile",
			Why: "A stopped instance keeps its configuration and runs again without a role when started (LD-EC2-01). " +
				"The terminated instance without a profile is not judged: it cannot run again.",
			Fail:  []string{"LD-EC2-01"},
			Build: variant(func(s *snapshot.Snapshot) { instance(s, StoppedInstanceID).InstanceProfileARN = "" }),
		},
		{
			Path:   "root-credentials-management-disabled",
			Change: "the organization enables only RootSessions (iam:ListOrganizationsFeatures)",
			Why:    "Root credentials management is not enabled, so member accounts keep root credentials nobody manages centrally (LD-ORG-01).",
			Fail:   []string{"LD-ORG-01"},
			Build:  variant(func(s *snapshot.Snapshot) { s.OrganizationsFeatures.EnabledFeatures = []string{"RootSessions"} }),
		},
		{
			Path:   "root-sessions-disabled",
			Change: "the organization enables only RootCredentialsManagement (iam:ListOrganizationsFeatures)",
			Why:    "Privileged root actions in member accounts need the root user's own credentials instead of a task-scoped root session (LD-ORG-02).",
			Fail:   []string{"LD-ORG-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				s.OrganizationsFeatures.EnabledFeatures = []string{"RootCredentialsManagement"}
			}),
		},
	}
}

// sourcesIncompletes are guide-compliant with one region or answer of the
// compliance sources unusable.
func sourcesIncompletes() []Scenario {
	return []Scenario{
		{
			Path: "analyzers-region-denied",
			Change: "access-analyzer:ListAnalyzers was AccessDenied in eu-west-1 (an SCP denying the region); " +
				"the source is \"error\" (partial), us-east-1 and us-west-2 answered",
			Why: "Only eu-west-1 is unknown: LD-AA-01 and LD-AA-02 are NOT_ASSESSED for that region, naming the error, and judge the other two regions, " +
				"which pass. A failed region never reads as \"no analyzer\" (FAIL) or as clean (PASS).",
			NotAssessed: []string{"LD-AA-01", "LD-AA-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				err := &snapshot.SourceError{Code: "AccessDeniedException", Action: "access-analyzer:ListAnalyzers",
					Message: "User: arn:aws:sts::" + AccountID + ":assumed-role/AdminRole/s is not authorized to perform: access-analyzer:ListAnalyzers with an explicit deny in a service control policy"}
				e := guideAnalyzers(s, "eu-west-1")
				e.Error, e.Analyzers = err, []snapshot.AccessAnalyzer{}
				s.Sources[snapshot.SourceAccessAnalyzers] = snapshot.SourceStatus{Status: snapshot.StatusError, Requests: len(GuideRegions), Partial: true, Error: err}
			}),
		},
		{
			Path: "ec2-region-missing",
			Change: "ec2:DescribeInstances has no result for us-west-2 (the run timed out before that region answered); " +
				"the source is \"error\" (partial)",
			Why: "An enabled region without a result is unknown, not empty: LD-EC2-01 is NOT_ASSESSED for us-west-2 and judges the instances of the other regions, " +
				"which pass.",
			NotAssessed: []string{"LD-EC2-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				var kept []snapshot.EC2Region
				for _, e := range s.EC2Instances {
					if e.Region != "us-west-2" {
						kept = append(kept, e)
					}
				}
				s.EC2Instances = kept
				s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusError, Requests: 2, Partial: true,
					Error: &snapshot.SourceError{Code: "RequestCanceled", Action: "ec2:DescribeInstances", Message: "context deadline exceeded"}}
			}),
		},
		{
			Path: "org-features-member-account",
			Change: "the audited account is a member account: iam:ListOrganizationsFeatures answered AccountNotManagementOrDelegatedAdministratorException " +
				"(source \"error\")",
			Why: "Only the management account or the delegated administrator for centralised root access can read the features: " +
				"LD-ORG-01 and LD-ORG-02 are NOT_ASSESSED, naming that answer and where to run the audit.",
			NotAssessed: []string{"LD-ORG-01", "LD-ORG-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				s.OrganizationsFeatures = nil
				s.Sources[snapshot.SourceOrganizationsFeatures] = snapshot.SourceStatus{Status: snapshot.StatusError, Requests: 1,
					Error: &snapshot.SourceError{Code: "AccountNotManagementOrDelegatedAdministratorException", Action: "iam:ListOrganizationsFeatures",
						Message: "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access."}}
			}),
		},
	}
}
