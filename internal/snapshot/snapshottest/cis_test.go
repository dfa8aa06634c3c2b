package snapshottest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The CIS-clean account has every source this build knows, collected
// completely, with data in each source beyond IAM.
func TestCISCleanHasEverySource(t *testing.T) {
	s := CISClean()
	for _, src := range snapshot.Sources {
		if !s.OK(src) {
			t.Errorf("source %s: %+v", src, s.Sources[src])
		}
	}
	if len(s.ServerCertificates) == 0 || len(s.Regions) == 0 || len(s.AccessAnalyzers) != len(s.Regions) ||
		len(s.EC2Instances) != len(s.Regions) || s.SecurityContact == nil || s.OrganizationsFeatures == nil {
		t.Error("a source beyond IAM is empty")
	}
	for _, a := range s.AccessAnalyzers {
		if len(a.Analyzers) != 1 || a.Analyzers[0].Status != "ACTIVE" || a.Analyzers[0].Type != "ACCOUNT" || len(a.Analyzers[0].Tags) == 0 {
			t.Errorf("%s: %+v", a.Region, a.Analyzers)
		}
	}
	for _, u := range s.Users {
		if len(u.Tags) == 0 {
			t.Errorf("user %s untagged", u.Name)
		}
	}
	for _, r := range s.Roles {
		if len(r.Tags) == 0 {
			t.Errorf("role %s untagged", r.Name)
		}
	}
	if CredRow(s, "alice")["mfa_active"] != "true" || Role(s, "SupportRole") == nil {
		t.Error("alice without MFA, or no support role")
	}
}

// Every variant differs from the clean account, and from every other one;
// the NOT_ASSESSED ones record a failed source.
func TestCISScenariosAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, sc := range CISScenarios() {
		data, err := snapshot.Marshal(sc.Build())
		if err != nil {
			t.Fatal(err)
		}
		if prev, dup := seen[string(data)]; dup {
			t.Errorf("%s is the same snapshot as %s", sc.Path, prev)
		}
		seen[string(data)] = sc.Path
		if !strings.HasPrefix(sc.Path, "cis/") || sc.Change == "" || sc.Why == "" {
			t.Errorf("%s: path, change and why are required", sc.Path)
		}
		failed := sc.Build().FailedSources()
		if (len(sc.NotAssessed) > 0) != (len(failed) > 0) {
			t.Errorf("%s: not assessed %v, failed sources %v", sc.Path, sc.NotAssessed, failed)
		}
	}
	clean, _ := snapshot.Marshal(CISClean())
	if !bytes.Equal(clean, func() []byte { d, _ := snapshot.Marshal(CISScenarios()[0].Build()); return d }()) {
		t.Error("the first scenario is not CISClean")
	}
}

// Every check the CIS scenarios know fails in at least one of them, so any
// control a framework maps to these checks has a variant that fails it.
func TestEveryCISCheckFailsSomewhere(t *testing.T) {
	failing := map[string]bool{}
	for _, sc := range CISScenarios() {
		for _, id := range sc.Fail {
			failing[id] = true
		}
	}
	for _, id := range CISChecks {
		if !failing[id] {
			t.Errorf("no CIS scenario fails %s", id)
		}
	}
}
