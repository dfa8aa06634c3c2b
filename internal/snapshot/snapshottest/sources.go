package snapshottest

import (
	"fmt"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// EnabledByDefaultRegions are the 17 regions (sorted) of the aws partition that
// every account has enabled (account:ListRegions ENABLED_BY_DEFAULT).
var EnabledByDefaultRegions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// SampleSources adds to s the sources beyond IAM, in a fixed pattern the
// collector tests can count: three server certificates (one expired
// before s.CollectedAt), the 17 default regions, in each an active
// external access analyzer tagged owner=security (us-east-1 also an
// untagged unused access analyzer), region number k (in the order of
// EnabledByDefaultRegions) holding k%4 EC2 instances, the even ones with
// an instance profile of s's roles when it has one, a security alternate
// contact, and an organization with both centralised root access features
// enabled. Every one of these sources is recorded as collected.
func SampleSources(s *snapshot.Snapshot) {
	id := s.Account.ID
	at := func(y int, m time.Month, d int) *time.Time {
		t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
		return &t
	}
	cert := func(name, path string, uploaded, expires *time.Time) snapshot.ServerCertificate {
		return snapshot.ServerCertificate{Name: name, ID: ID("ASCA", "cert/"+name), Path: path,
			ARN: "arn:aws:iam::" + id + ":server-certificate" + path + name, UploadDate: uploaded, Expiration: expires}
	}
	s.ServerCertificates = []snapshot.ServerCertificate{
		cert("web-2024", "/", at(2024, 1, 10), at(2025, 1, 10)),
		cert("web-2026", "/", at(2025, 12, 1), at(2026, 12, 31)),
		cert("cdn", "/cloudfront/", at(2025, 6, 1), at(2027, 6, 1)),
	}
	var profiles []string
	for _, r := range s.Roles {
		profiles = append(profiles, r.InstanceProfiles...)
	}
	s.Regions, s.AccessAnalyzers, s.EC2Instances = nil, nil, nil
	for k, region := range EnabledByDefaultRegions {
		s.Regions = append(s.Regions, snapshot.Region{Name: region, OptStatus: "ENABLED_BY_DEFAULT"})
		aa := snapshot.AccessAnalyzerRegion{Region: region, Requests: 1, Analyzers: []snapshot.AccessAnalyzer{{
			Name: "ExternalAccess", ARN: "arn:aws:access-analyzer:" + region + ":" + id + ":analyzer/ExternalAccess",
			Type: "ACCOUNT", Status: "ACTIVE", CreatedAt: at(2024, 3, 1),
			Tags: []snapshot.Tag{{Key: "owner", Value: "security"}},
		}}}
		if region == "us-east-1" {
			aa.Analyzers = append(aa.Analyzers, snapshot.AccessAnalyzer{
				Name: "UnusedAccess", ARN: "arn:aws:access-analyzer:" + region + ":" + id + ":analyzer/UnusedAccess",
				Type: "ACCOUNT_UNUSED_ACCESS", Status: "ACTIVE", CreatedAt: at(2025, 2, 1),
			})
		}
		s.AccessAnalyzers = append(s.AccessAnalyzers, aa)
		ec := snapshot.EC2Region{Region: region, Requests: 1, Instances: []snapshot.EC2Instance{}}
		for i := 0; i < k%4; i++ {
			in := snapshot.EC2Instance{ID: fmt.Sprintf("i-%017x", k*16+i), State: "running", LaunchTime: at(2025, time.Month(1+i), 1+k)}
			if i%2 == 0 && len(profiles) > 0 {
				in.InstanceProfileARN = profiles[(k+i)%len(profiles)]
			} else {
				in.State = "stopped"
			}
			ec.Instances = append(ec.Instances, in)
		}
		s.EC2Instances = append(s.EC2Instances, ec)
	}
	s.SecurityContact = &snapshot.AlternateContact{Type: "SECURITY", Name: "Security Team", Title: "Security",
		Email: "security@example.com", Phone: "+1-555-0100"}
	s.OrganizationsFeatures = &snapshot.OrganizationsFeatures{OrganizationID: "o-a1b2c3d4e5",
		EnabledFeatures: []string{"RootCredentialsManagement", "RootSessions"}}
	if s.Sources == nil {
		s.Sources = map[string]snapshot.SourceStatus{}
	}
	for _, src := range []string{snapshot.SourceServerCertificates, snapshot.SourceSecurityContact, snapshot.SourceOrganizationsFeatures, snapshot.SourceRegions} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 1}
	}
	n := len(EnabledByDefaultRegions)
	s.Sources[snapshot.SourceAccessAnalyzers] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: n}
	s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: n}
}
