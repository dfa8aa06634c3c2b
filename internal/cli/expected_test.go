package cli

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// expectations is testdata/snapshots/expected.json: for every bundled
// snapshot, exactly which checks fail and which are not assessed; every
// other check must pass.
type expectations struct {
	Checks    []string `json:"checks"`
	Snapshots map[string]struct {
		Fail        []string `json:"fail"`
		NotAssessed []string `json:"not_assessed"`
	} `json:"snapshots"`
}

func TestBundledSnapshotsGiveExpectedVerdicts(t *testing.T) {
	data, err := os.ReadFile(snapshotPath("expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp expectations
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	eng, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var implemented []string
	for _, c := range eng.Checks() {
		implemented = append(implemented, c.ID)
	}
	sort.Strings(implemented)
	want := append([]string(nil), exp.Checks...)
	sort.Strings(want)
	if !slices.Equal(implemented, want) {
		t.Errorf("checks implemented %v, expected.json specifies %v", implemented, want)
	}
	if len(exp.Snapshots) < 10 {
		t.Fatalf("only %d snapshots in expected.json", len(exp.Snapshots))
	}
	for name, e := range exp.Snapshots {
		t.Run(name, func(t *testing.T) {
			snap, _, err := snapshot.Load(snapshotPath(name))
			if err != nil {
				t.Fatal(err)
			}
			f, err := facts.Build(snap)
			if err != nil {
				t.Fatal(err)
			}
			out, err := eng.Evaluate(context.Background(), f, nil)
			if err != nil {
				t.Fatal(err)
			}
			results := out.Results
			got := map[findings.Status]map[string]string{findings.Fail: {}, findings.NotAssessed: {}}
			for _, r := range results {
				if m, ok := got[r.Status]; ok {
					m[r.CheckID] = r.Resource.Name + ": " + r.Message
				}
			}
			compare(t, "FAIL", got[findings.Fail], e.Fail)
			compare(t, "NOT_ASSESSED", got[findings.NotAssessed], e.NotAssessed)
		})
	}
}

func compare(t *testing.T, status string, got map[string]string, want []string) {
	t.Helper()
	for _, id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("%s: want %s, got none", id, status)
		}
	}
	for id, msg := range got {
		if !slices.Contains(want, id) {
			t.Errorf("%s: unexpected %s (%s)", id, status, msg)
		}
	}
}
