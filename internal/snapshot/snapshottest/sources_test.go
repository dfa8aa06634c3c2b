package snapshottest

import (
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func TestSampleSourcesValidateAndFollowTheirPattern(t *testing.T) {
	s := Sample("111122223333", 5)
	SampleSources(s)
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Decode("SampleSources", data); err != nil {
		t.Fatalf("Sample with SampleSources does not validate: %v", err)
	}
	if len(EnabledByDefaultRegions) != 17 || len(s.Regions) != 17 || len(s.AccessAnalyzers) != 17 || len(s.EC2Instances) != 17 {
		t.Fatalf("%d regions, %d analyzer regions, %d EC2 regions", len(s.Regions), len(s.AccessAnalyzers), len(s.EC2Instances))
	}
	for i, r := range EnabledByDefaultRegions {
		if i > 0 && EnabledByDefaultRegions[i-1] >= r {
			t.Errorf("EnabledByDefaultRegions not sorted at %s", r)
		}
		if a := s.AccessAnalyzers[i].Analyzers; len(a) == 0 || a[0].Status != "ACTIVE" || a[0].Type != "ACCOUNT" || len(a[0].Tags) == 0 {
			t.Errorf("%s: analyzers %+v", r, a)
		}
		if n := len(s.EC2Instances[i].Instances); n != i%4 {
			t.Errorf("%s: %d instances, want %d", r, n, i%4)
		}
	}
	expired := 0
	for _, c := range s.ServerCertificates {
		if c.Expiration.Before(s.CollectedAt) {
			expired++
		}
	}
	if len(s.ServerCertificates) != 3 || expired != 1 {
		t.Errorf("%d certificates, %d expired; want 3 and 1", len(s.ServerCertificates), expired)
	}
	for _, src := range []string{snapshot.SourceServerCertificates, snapshot.SourceRegions, snapshot.SourceAccessAnalyzers,
		snapshot.SourceSecurityContact, snapshot.SourceEC2Instances, snapshot.SourceOrganizationsFeatures} {
		if !s.OK(src) {
			t.Errorf("source %s not recorded as collected", src)
		}
	}
	if s.SecurityContact == nil || s.OrganizationsFeatures == nil || len(s.OrganizationsFeatures.EnabledFeatures) != 2 {
		t.Errorf("contact %+v, features %+v", s.SecurityContact, s.OrganizationsFeatures)
	}
}
