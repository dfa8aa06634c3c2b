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

// checkOnlyWhenAsked are built-in checks that neither the guide nor a
// framework asks for, so they run only with --check; each says why.
var checkOnlyWhenAsked = map[string]string{
	"LD-ORG-02": "CIS v7.0 2.1.1 wants privileged root sessions enabled only \"if desired\", so no control is decided by it",
}

// A check without a guide step runs only when a framework that names it is
// asked for (or with --check): every such check must be named by one, or
// be listed in checkOnlyWhenAsked with the reason.
func TestEveryFrameworkOnlyCheckIsNamed(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	byCheck := frameworks.ControlsByCheck(fws)
	eng, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range eng.Checks() {
		named := len(byCheck[c.ID]) > 0
		if _, listed := checkOnlyWhenAsked[c.ID]; listed && (named || c.GuideStep != "") {
			t.Errorf("%s is listed in checkOnlyWhenAsked but runs anyway: remove it from the list", c.ID)
		} else if !listed && c.GuideStep == "" && !named {
			t.Errorf("%s has no guide step and no framework names it: no audit runs it unless asked with --check", c.ID)
		}
	}
}
