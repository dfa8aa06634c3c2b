package main

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// TestScenarioVerdicts evaluates every scenario as it is written to disk and
// compares exactly which checks FAIL, are NOT_ASSESSED and NOT_APPLICABLE
// with what the scenario declares; for the incomplete variants it also
// checks that one cause names the item and exactly those checks.
func TestScenarioVerdicts(t *testing.T) {
	e, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range snapshottest.Scenarios() {
		t.Run(sc.Path, func(t *testing.T) {
			data, err := snapshot.Marshal(sc.Build())
			if err != nil {
				t.Fatal(err)
			}
			snap, err := snapshot.Decode(sc.Path, data)
			if err != nil {
				t.Fatal(err)
			}
			f, err := facts.Build(snap)
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.Evaluate(context.Background(), f, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[findings.Status][]string{}
			for _, r := range out.Results {
				if r.Status != findings.Pass && !slices.Contains(got[r.Status], r.CheckID) {
					got[r.Status] = append(got[r.Status], r.CheckID)
				}
			}
			for status, want := range map[findings.Status][]string{
				findings.Fail: sc.Fail, findings.NotAssessed: sc.NotAssessed, findings.NotApplicable: sc.NotApplicable,
			} {
				w := append([]string{}, want...)
				g := append([]string{}, got[status]...)
				sort.Strings(w)
				sort.Strings(g)
				if !slices.Equal(g, w) {
					t.Errorf("%s: got %v, want %v", status, g, w)
				}
			}
			if len(sc.NotAssessed) == 0 && len(out.Causes) != 0 {
				t.Errorf("a complete audit has causes: %v", out.Causes)
			}
			if strings.HasPrefix(sc.Path, "incomplete/") {
				want := append([]string{}, sc.NotAssessed...)
				sort.Strings(want)
				if len(out.Causes) != 1 || out.Causes[0].Item == "" || !slices.Equal(out.Causes[0].Checks, want) {
					t.Errorf("causes = %+v, want one naming the item and %v", out.Causes, want)
				}
			}
		})
	}
}
