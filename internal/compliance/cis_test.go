package compliance

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const cisDir = "../../testdata/snapshots/cis"

// cisExpected is testdata/snapshots/cis/expected.json (tools/mktestdata).
type cisExpected struct {
	Checks    []string `json:"checks"`
	Snapshots map[string]struct {
		Fail          []string `json:"fail"`
		NotAssessed   []string `json:"not_assessed"`
		NotApplicable []string `json:"not_applicable"`
	} `json:"snapshots"`
	Frameworks map[string]map[string]map[string]string `json:"frameworks"`
}

// TestCISScenarios audits the CIS-clean account and every one-change
// variant with the built-in checks and judges every framework's controls,
// comparing with expected.json:
//   - every check of the catalogue that expected.json names must FAIL, be
//     NOT_ASSESSED and NOT_APPLICABLE exactly where it says;
//   - every check expected.json names is in the catalogue;
//   - every control has the expected status.
func TestCISScenarios(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(cisDir, "expected.json"))
	if err != nil {
		t.Fatalf("%v (run go run ./tools/mktestdata)", err)
	}
	var exp cisExpected
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	eng, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var catalogue []string
	for _, c := range eng.Checks() {
		catalogue = append(catalogue, c.ID)
		if !slices.Contains(exp.Checks, c.ID) {
			t.Errorf("check %s is not in cis/expected.json: add it to snapshottest.CISChecks (and a variant that fails it) and run go run ./tools/mktestdata", c.ID)
		}
	}
	sort.Strings(catalogue)
	for _, id := range exp.Checks {
		if !slices.Contains(catalogue, id) {
			t.Errorf("cis/expected.json names check %s, which is not in the catalogue", id)
		}
	}
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, fw := range fws {
		rows, ok := exp.Frameworks[fw.Name]
		if !ok {
			t.Errorf("framework %s is not in cis/expected.json; run go run ./tools/mktestdata", fw.Name)
			continue
		}
		if len(rows) != len(fw.Controls) {
			t.Errorf("cis/expected.json has %d controls of %s, the framework %d; run go run ./tools/mktestdata", len(rows), fw.Name, len(fw.Controls))
		}
	}
	if len(exp.Snapshots) < 40 {
		t.Fatalf("only %d CIS snapshots in expected.json", len(exp.Snapshots))
	}
	names := make([]string, 0, len(exp.Snapshots))
	for n := range exp.Snapshots {
		names = append(names, n)
	}
	sort.Strings(names)
	compared := 0
	for _, name := range names {
		e := exp.Snapshots[name]
		snap, _, err := snapshot.Load(filepath.Join(cisDir, name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := facts.Build(snap)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := eng.Evaluate(context.Background(), f, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := map[findings.Status]map[string]string{findings.Fail: {}, findings.NotAssessed: {}, findings.NotApplicable: {}}
		for _, r := range out.Results {
			if m, ok := got[r.Status]; ok {
				m[r.CheckID] = r.Resource.Name + ": " + r.Message
			}
		}
		for status, want := range map[findings.Status][]string{findings.Fail: e.Fail, findings.NotAssessed: e.NotAssessed, findings.NotApplicable: e.NotApplicable} {
			for _, id := range want {
				if _, ok := got[status][id]; !ok && slices.Contains(catalogue, id) {
					t.Errorf("%s: %s: want %s, got none", name, id, status)
				}
			}
			for id, msg := range got[status] {
				if !slices.Contains(want, id) {
					t.Errorf("%s: %s: unexpected %s (%s)", name, id, status, msg)
				}
			}
		}
		for _, fw := range fws {
			rows := exp.Frameworks[fw.Name]
			for _, cr := range Assess(fw, out.Results, catalogue).Controls {
				want, ok := rows[cr.ID][name]
				if !ok {
					t.Errorf("%s %s: no expected status for %s; run go run ./tools/mktestdata", fw.Name, cr.ID, name)
					continue
				}
				compared++
				if string(cr.Status) != want {
					t.Errorf("%s: %s %s: %s, want %s (%s)", name, fw.Name, cr.ID, cr.Status, want, cr.Reason)
				}
			}
		}
	}
	if compared == 0 {
		t.Fatal("no control status compared")
	}
	t.Logf("%d control statuses compared over %d snapshots", compared, len(names))
}
