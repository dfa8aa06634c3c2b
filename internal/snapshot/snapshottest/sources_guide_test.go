package snapshottest

import (
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The guide's account carries every compliance source, collected, with an
// entry for each enabled region in both regional sources.
func TestGuideComplianceSources(t *testing.T) {
	s := GuideCompliant()
	snapshot.Normalize(s)
	for _, src := range []string{snapshot.SourceRegions, snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances,
		snapshot.SourceServerCertificates, snapshot.SourceSecurityContact, snapshot.SourceOrganizationsFeatures} {
		if !s.OK(src) {
			t.Errorf("source %s not ok", src)
		}
	}
	if len(s.Regions) != len(GuideRegions) || len(s.AccessAnalyzers) != len(GuideRegions) || len(s.EC2Instances) != len(GuideRegions) {
		t.Fatalf("regions %d, analyzer regions %d, EC2 regions %d", len(s.Regions), len(s.AccessAnalyzers), len(s.EC2Instances))
	}
	for i, r := range s.Regions {
		if r.Name != s.AccessAnalyzers[i].Region || r.Name != s.EC2Instances[i].Region {
			t.Errorf("region %d: %s, analyzers %s, EC2 %s", i, r.Name, s.AccessAnalyzers[i].Region, s.EC2Instances[i].Region)
		}
	}
	if instance(s, TerminatedInstanceID).InstanceProfileARN != "" || instance(s, StoppedInstanceID).State != "stopped" {
		t.Error("the terminated instance without a profile or the stopped one with a profile is missing")
	}
	defer func() {
		if recover() == nil {
			t.Error("instance of an unknown ID did not panic")
		}
	}()
	instance(s, "i-0000")
}
