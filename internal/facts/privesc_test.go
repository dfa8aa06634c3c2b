package facts

import (
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func TestEscalationGuideCompliantHasNone(t *testing.T) {
	f, err := Build(snapshottest.GuideCompliant())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Escalation) == 0 {
		t.Fatal("no principal judged")
	}
	for a, v := range f.Escalation {
		if len(v.Paths) > 0 {
			t.Errorf("%s: escalation path in the compliant account: %+v", a, v.Paths)
		}
		// The compliant guide's admin power is AdminRole's alone.
		if v.Admin && v.Type != "role" {
			t.Errorf("%s is administrator-equivalent in the compliant account", a)
		}
	}
}

func TestEscalationGuideAsWrittenIsDirectAdminNotEscalation(t *testing.T) {
	s := snapshottest.GuideAsWritten()
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	admins := snapshottest.Group(s, "Administrators")
	v := f.Escalation[admins.ARN]
	if v == nil || !v.Admin || len(v.Paths) > 0 {
		t.Fatalf("Administrators: %+v, want already administrator-equivalent and no path", v)
	}
	members := 0
	for _, u := range s.Users {
		for _, g := range u.Groups {
			if g == "Administrators" {
				members++
				if m := f.Escalation[u.ARN]; m == nil || !m.Admin || len(m.Paths) > 0 {
					t.Errorf("member %s: %+v, want already administrator-equivalent", u.Name, m)
				}
			}
		}
	}
	if members == 0 {
		t.Fatal("the guide as written has no member of Administrators")
	}
	for a, v := range f.Escalation {
		if len(v.Paths) > 0 {
			t.Errorf("%s: escalation path in the guide as written: %+v", a, v.Paths)
		}
	}
}

func TestEscalationInventoryNamesWhatIsMissing(t *testing.T) {
	s := snapshottest.GuideCompliant()
	delete(s.Sources, snapshot.SourceLambdaFunctions)
	s.LambdaFunctions = nil
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	inv := f.escalationInventory(s)
	if inv.FunctionsUnknown == "" {
		t.Error("Lambda functions not collected, but the inventory says they are known")
	}
	if inv.InstanceProfiles == nil || inv.Users == nil {
		t.Error("inventory maps are nil")
	}
}
