package frameworks_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/engine"
)

// catalogueProblems lists every check a framework names that is not in the
// catalogue.
func catalogueProblems(fws []*frameworks.Framework, catalogue map[string]bool) []string {
	var out []string
	for _, fw := range fws {
		for _, c := range fw.Controls {
			for _, id := range c.Checks {
				if !catalogue[id] {
					out = append(out, fmt.Sprintf("%s %s names check %s, which is not in the catalogue", fw.Name, c.ID, id))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func builtinCatalogue(t *testing.T) map[string]bool {
	t.Helper()
	eng, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatalf("loading the built-in checks: %v", err)
	}
	ids := map[string]bool{}
	for _, c := range eng.Checks() {
		ids[c.ID] = true
	}
	if len(ids) == 0 {
		t.Fatal("the built-in catalogue is empty")
	}
	return ids
}

func TestEveryNamedCheckExists(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range catalogueProblems(fws, builtinCatalogue(t)) {
		t.Error(p)
	}
}

func TestCatalogueProblemsCatchesAnUnknownCheck(t *testing.T) {
	fws := []*frameworks.Framework{{Name: "x", Controls: []frameworks.Control{
		{ID: "1", Automated: true, Checks: []string{"LD-OK-01", "LD-GONE-01"}},
	}}}
	if got := catalogueProblems(fws, map[string]bool{"LD-OK-01": true}); len(got) != 1 || !strings.Contains(got[0], "LD-GONE-01") {
		t.Errorf("an unknown check: got %q, want one problem naming LD-GONE-01", got)
	}
	if got := catalogueProblems(fws, map[string]bool{"LD-OK-01": true, "LD-GONE-01": true}); len(got) != 0 {
		t.Errorf("a consistent catalogue: got %q", got)
	}
}
