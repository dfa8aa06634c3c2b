package snapshottest

import (
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The guide's account as the compliance sources see it: three enabled
// regions, each with an active, tagged external-access analyzer; one valid
// server certificate; two EC2 instances with an instance profile (one
// running, one stopped) and a terminated one without; a security alternate
// contact; and the account is the management account of an organization
// that enables both centralised root access features.

// GuideRegions are the regions enabled in the guide's account.
var GuideRegions = []string{"eu-west-1", "us-east-1", "us-west-2"}

// Fixture identities of the compliance sources.
const (
	ServerCertificateName = "www-example-com"
	ServerCertificateARN  = accountARN + "server-certificate/" + ServerCertificateName
	AnalyzerName          = "external-access"
	UnusedAnalyzerName    = "unused-access"
	InstanceProfileARN    = accountARN + "instance-profile/web"
	RunningInstanceID     = "i-0a1b2c3d4e5f60001"
	StoppedInstanceID     = "i-0a1b2c3d4e5f60002"
	TerminatedInstanceID  = "i-0a1b2c3d4e5f60003"
	OrganizationID        = "o-a1b2c3d4e5"
)

// AnalyzerARN is the ARN of the analyzer name in region.
func AnalyzerARN(region, name string) string {
	return "arn:aws:access-analyzer:" + region + ":" + AccountID + ":analyzer/" + name
}

// AddComplianceSources adds the sources beyond IAM (server certificates,
// regions, IAM Access Analyzer, security contact, EC2 instances,
// Organizations features) to s, all collected and compliant.
func AddComplianceSources(s *snapshot.Snapshot) {
	ok := func(name string, requests int) {
		s.Sources[name] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: requests}
	}
	ok(snapshot.SourceServerCertificates, 1)
	s.ServerCertificates = []snapshot.ServerCertificate{{
		Name: ServerCertificateName, ID: ID("ASCA", AccountID+"/server-certificate/"+ServerCertificateName),
		ARN: ServerCertificateARN, Path: "/",
		UploadDate: tp("2026-06-30T09:00:00Z"), Expiration: tp("2027-06-30T23:59:59Z"),
	}}

	ok(snapshot.SourceRegions, 1)
	s.Regions = nil
	for _, r := range GuideRegions {
		s.Regions = append(s.Regions, snapshot.Region{Name: r, OptStatus: "ENABLED_BY_DEFAULT"})
	}

	ok(snapshot.SourceAccessAnalyzers, len(GuideRegions))
	s.AccessAnalyzers = nil
	for _, r := range GuideRegions {
		e := snapshot.AccessAnalyzerRegion{Region: r, Requests: 1, Analyzers: []snapshot.AccessAnalyzer{{
			Name: AnalyzerName, ARN: AnalyzerARN(r, AnalyzerName), Type: "ACCOUNT", Status: "ACTIVE",
			CreatedAt: tp("2025-02-03T10:00:00Z"), Tags: []snapshot.Tag{{Key: "Owner", Value: "security-team"}},
		}}}
		if r == "us-east-1" {
			e.Analyzers = append(e.Analyzers, snapshot.AccessAnalyzer{
				Name: UnusedAnalyzerName, ARN: AnalyzerARN(r, UnusedAnalyzerName), Type: "ACCOUNT_UNUSED_ACCESS", Status: "ACTIVE",
				CreatedAt: tp("2025-02-03T10:05:00Z"), Tags: []snapshot.Tag{{Key: "Owner", Value: "security-team"}},
			})
		}
		s.AccessAnalyzers = append(s.AccessAnalyzers, e)
	}

	ok(snapshot.SourceSecurityContact, 1)
	s.SecurityContact = &snapshot.AlternateContact{Type: "SECURITY", Name: "Security team", Title: "Security",
		Email: "security@example.com", Phone: "+1-555-0100"}

	ok(snapshot.SourceEC2Instances, len(GuideRegions))
	s.EC2Instances = nil
	for _, r := range GuideRegions {
		e := snapshot.EC2Region{Region: r, Requests: 1, Instances: []snapshot.EC2Instance{}}
		switch r {
		case "us-east-1":
			e.Instances = append(e.Instances, snapshot.EC2Instance{ID: RunningInstanceID, State: "running",
				InstanceProfileARN: InstanceProfileARN, LaunchTime: tp("2026-11-01T08:00:00Z")})
		case "eu-west-1":
			e.Instances = append(e.Instances,
				snapshot.EC2Instance{ID: StoppedInstanceID, State: "stopped", InstanceProfileARN: InstanceProfileARN, LaunchTime: tp("2026-09-14T12:30:00Z")},
				snapshot.EC2Instance{ID: TerminatedInstanceID, State: "terminated", LaunchTime: tp("2026-11-26T07:00:00Z")})
		}
		s.EC2Instances = append(s.EC2Instances, e)
	}

	ok(snapshot.SourceOrganizationsFeatures, 1)
	s.OrganizationsFeatures = &snapshot.OrganizationsFeatures{OrganizationID: OrganizationID,
		EnabledFeatures: []string{"RootCredentialsManagement", "RootSessions"}}
}

// guideAnalyzers returns s's Access Analyzer entry for region.
func guideAnalyzers(s *snapshot.Snapshot, region string) *snapshot.AccessAnalyzerRegion {
	return find(s.AccessAnalyzers, "access analyzer region", region, func(e *snapshot.AccessAnalyzerRegion) string { return e.Region })
}

// instance returns the EC2 instance id of s.
func instance(s *snapshot.Snapshot, id string) *snapshot.EC2Instance {
	for i := range s.EC2Instances {
		for j := range s.EC2Instances[i].Instances {
			if s.EC2Instances[i].Instances[j].ID == id {
				return &s.EC2Instances[i].Instances[j]
			}
		}
	}
	panic("snapshottest: no EC2 instance " + id)
}
