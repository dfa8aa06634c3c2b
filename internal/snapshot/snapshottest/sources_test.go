package snapshottest

import (
	"regexp"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func TestDefaultRegions(t *testing.T) {
	if len(DefaultRegions) != 17 {
		t.Fatalf("%d default regions, want 17", len(DefaultRegions))
	}
	for i := 1; i < len(DefaultRegions); i++ {
		if DefaultRegions[i-1] >= DefaultRegions[i] {
			t.Fatalf("not sorted or duplicated: %s, %s", DefaultRegions[i-1], DefaultRegions[i])
		}
	}
}

// The compliance sources of a generated account cover every region, with
// instance IDs that look like EC2's and are distinct.
func TestAddComplianceSourcesIn(t *testing.T) {
	s := Sample("210987654321", 3)
	AddComplianceSourcesIn(s, DefaultRegions)
	snapshot.Normalize(s)
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Decode("generated", data); err != nil {
		t.Fatal(err)
	}
	if len(s.Regions) != 17 || len(s.AccessAnalyzers) != 17 || len(s.EC2Instances) != 17 {
		t.Fatalf("regions %d, analyzer regions %d, EC2 regions %d", len(s.Regions), len(s.AccessAnalyzers), len(s.EC2Instances))
	}
	id := regexp.MustCompile(`^i-[0-9a-f]{17}$`)
	seen := map[string]bool{}
	for _, e := range s.EC2Instances {
		for _, in := range e.Instances {
			if !id.MatchString(in.ID) || seen[in.ID] {
				t.Errorf("instance ID %q", in.ID)
			}
			seen[in.ID] = true
		}
	}
	for _, src := range []string{snapshot.SourceRegions, snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances,
		snapshot.SourceServerCertificates, snapshot.SourceSecurityContact, snapshot.SourceOrganizationsFeatures} {
		if !s.OK(src) {
			t.Errorf("source %s not ok", src)
		}
	}
}
