package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The privilege-escalation corpus, black box: every fixture under
// testdata/snapshots/privesc/ goes through `lockdown audit --check
// LD-PE-01 --format json` and each principal's result is compared with
// privesc/expected.json (written by tools/mktestdata from
// snapshottest.PrivescFixtures).

const peCheck = "LD-PE-01"

type peExpect struct {
	Status       string   `json:"status"`
	MethodIDs    []string `json:"method_ids"`
	Context      string   `json:"context"`
	RequiresMFA  *bool    `json:"requires_mfa"`
	Unknown      string   `json:"unknown"`
	AlreadyAdmin bool     `json:"already_admin"`
	Why          string   `json:"why"`
}

type peKnownGap struct {
	Fixture   string `json:"fixture"`
	Principal string `json:"principal"`
	Wrong     string `json:"wrong"`
	Finding   string `json:"finding"`
}

type peCorpus struct {
	Check    string   `json:"check"`
	Methods  []string `json:"methods"`
	Fixtures map[string]struct {
		Methods    []string            `json:"methods"`
		Principals map[string]peExpect `json:"principals"`
	} `json:"fixtures"`
	KnownGaps []peKnownGap `json:"known_gaps"`
}

// pePath is one path of a result's evidence, as the report contract has it.
type pePath struct {
	MethodIDs   []string `json:"method_ids"`
	Steps       []peStep `json:"steps"`
	Context     string   `json:"context"`
	RequiresMFA bool     `json:"requires_mfa"`
	Target      string   `json:"target"`
	Possible    bool     `json:"possible"`
	Unknown     string   `json:"unknown"`
}

type peStep struct {
	From     string `json:"from"`
	To       string `json:"to"`
	MethodID string `json:"method_id"`
	Actions  []struct {
		Action    string `json:"action"`
		Resource  string `json:"resource"`
		Policy    string `json:"policy"`
		Statement string `json:"statement"`
	} `json:"actions"`
}

type peResult struct {
	CheckID  string `json:"check_id"`
	Status   string `json:"status"`
	Message  string `json:"message"`
	Resource struct {
		ARN string `json:"arn"`
	} `json:"resource"`
	Evidence struct {
		Paths []pePath `json:"paths"`
	} `json:"evidence"`
}

// auditPE runs LD-PE-01 on the snapshot at path through the CLI's entry
// point and returns its results by principal ARN.
func auditPE(t *testing.T, path string) map[string]peResult {
	t.Helper()
	stdout, stderr, code := run(t, "audit", "--snapshot", path, "--check", peCheck, "--format", "json")
	if code != ExitOK && code != ExitFindings && code != ExitIncomplete {
		t.Fatalf("%s: exit %d: %s", path, code, stderr)
	}
	var rep struct {
		Results []peResult `json:"results"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%s: report: %v", path, err)
	}
	out := map[string]peResult{}
	for _, r := range rep.Results {
		if r.CheckID != peCheck {
			t.Errorf("%s: result of %s in an audit of %s only", path, r.CheckID, peCheck)
			continue
		}
		if _, dup := out[r.Resource.ARN]; dup {
			t.Errorf("%s: two results for %s", path, r.Resource.ARN)
		}
		out[r.Resource.ARN] = r
	}
	return out
}

var contextOrder = map[string]int{"access_key": 0, "session_no_mfa": 1, "mfa_session": 2}

// peMismatch is what differs between a result and its expectation ("" when
// they agree). The shortest path is the first definite one (paths come
// shortest first); the context is the weakest among the definite paths.
func peMismatch(principal string, e peExpect, r peResult) string {
	if r.Status != e.Status {
		return fmt.Sprintf("status %s, want %s (message %q)", r.Status, e.Status, r.Message)
	}
	var definite []pePath
	for _, p := range r.Evidence.Paths {
		if !p.Possible {
			definite = append(definite, p)
		}
	}
	switch e.Status {
	case "FAIL":
		if len(definite) == 0 {
			return "FAIL without a definite path in evidence.paths"
		}
		first := definite[0]
		if !slices.Equal(first.MethodIDs, e.MethodIDs) {
			return fmt.Sprintf("shortest path %v, want %v", first.MethodIDs, e.MethodIDs)
		}
		if msg := peSteps(principal, first); msg != "" {
			return msg
		}
		weakest := definite[0]
		for _, p := range definite {
			if _, ok := contextOrder[p.Context]; !ok {
				return fmt.Sprintf("path context %q is not one of access_key, session_no_mfa, mfa_session", p.Context)
			}
			if contextOrder[p.Context] < contextOrder[weakest.Context] {
				weakest = p
			}
		}
		if weakest.Context != e.Context || weakest.RequiresMFA != *e.RequiresMFA {
			return fmt.Sprintf("context %s requires_mfa %v, want %s %v", weakest.Context, weakest.RequiresMFA, e.Context, *e.RequiresMFA)
		}
	case "PASS":
		if len(definite) > 0 {
			return fmt.Sprintf("PASS with a definite path %v", definite[0].MethodIDs)
		}
		if e.AlreadyAdmin != strings.Contains(r.Message, "already administrator-equivalent") {
			return fmt.Sprintf("message %q: already administrator-equivalent expected %v", r.Message, e.AlreadyAdmin)
		}
	case "NOT_ASSESSED":
		if len(definite) > 0 {
			return fmt.Sprintf("NOT_ASSESSED with a definite path %v", definite[0].MethodIDs)
		}
		named := strings.Contains(strings.ToLower(r.Message), e.Unknown)
		for _, p := range r.Evidence.Paths {
			if p.Possible && p.Unknown != "" && strings.Contains(strings.ToLower(p.Unknown), e.Unknown) {
				named = true
			}
		}
		if !named {
			return fmt.Sprintf("neither a possible path's unknown nor the message (%q) names %q", r.Message, e.Unknown)
		}
	}
	return ""
}

// peSteps checks a path's steps against the contract: one step per method
// ID, in order, from the principal, each with the actions that decide it.
func peSteps(principal string, p pePath) string {
	if len(p.Steps) != len(p.MethodIDs) {
		return fmt.Sprintf("%d steps for method_ids %v", len(p.Steps), p.MethodIDs)
	}
	for i, s := range p.Steps {
		if s.MethodID != p.MethodIDs[i] {
			return fmt.Sprintf("step %d method %s, method_ids %v", i, s.MethodID, p.MethodIDs)
		}
		if i == 0 && s.From != principal {
			return fmt.Sprintf("first step from %s, not the principal", s.From)
		}
		if i > 0 && s.From != p.Steps[i-1].To {
			return fmt.Sprintf("step %d from %s, the step before ends at %s", i, s.From, p.Steps[i-1].To)
		}
		if len(s.Actions) == 0 {
			return fmt.Sprintf("step %d (%s) names no action", i, s.MethodID)
		}
		for _, a := range s.Actions {
			if a.Action == "" || a.Resource == "" {
				return fmt.Sprintf("step %d (%s): an action without its name or resource", i, s.MethodID)
			}
		}
	}
	if last := p.Steps[len(p.Steps)-1]; p.Target != "" && last.To != p.Target {
		return fmt.Sprintf("last step ends at %s, target %s", last.To, p.Target)
	}
	return ""
}

func loadPECorpus(t *testing.T) peCorpus {
	t.Helper()
	data, err := os.ReadFile(snapshotPath(filepath.Join("privesc", "expected.json")))
	if err != nil {
		t.Fatal(err)
	}
	var c peCorpus
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("privesc/expected.json: %v", err)
	}
	return c
}

// catalogueMethods reads the method IDs of the shared catalogue.
func catalogueMethods(t *testing.T) map[string][]string {
	t.Helper()
	dir := os.Getenv("LOCKDOWN_SHARED_DATA")
	if dir == "" {
		dir = "/work/shared/data"
	}
	data, err := os.ReadFile(filepath.Join(dir, "privilege-escalation-methods.yaml"))
	if err != nil {
		t.Skipf("the escalation catalogue is not available (set LOCKDOWN_SHARED_DATA): %v", err)
	}
	var cat struct {
		Methods []struct {
			ID       string   `yaml:"id"`
			Required []string `yaml:"required_actions"`
		} `yaml:"methods"`
	}
	if err := yaml.Unmarshal(data, &cat); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, m := range cat.Methods {
		out[m.ID] = m.Required
	}
	return out
}

func TestPrivescCorpusCoversTheCatalogue(t *testing.T) {
	c := loadPECorpus(t)
	cat := catalogueMethods(t)
	if len(c.Methods) < 30 {
		t.Errorf("the corpus covers %d methods, want at least 30", len(c.Methods))
	}
	for name, f := range c.Fixtures {
		for _, m := range f.Methods {
			if _, ok := cat[m]; !ok {
				t.Errorf("fixture %s: method %s is not in the catalogue", name, m)
			}
		}
		for arn, e := range f.Principals {
			for _, m := range e.MethodIDs {
				if _, ok := cat[m]; !ok {
					t.Errorf("fixture %s, %s: method %s is not in the catalogue", name, arn, m)
				}
			}
		}
	}
	// Every covered method has a positive case (a FAIL naming it) and a
	// negative one in the same fixture.
	for _, m := range c.Methods {
		pos, neg := false, false
		for _, f := range c.Fixtures {
			if !slices.Contains(f.Methods, m) {
				continue
			}
			for _, e := range f.Principals {
				if e.Status == "FAIL" && slices.Contains(e.MethodIDs, m) {
					pos = true
				}
				if e.Status != "FAIL" {
					neg = true
				}
			}
		}
		if !pos || !neg {
			t.Errorf("method %s: positive case %v, negative case %v", m, pos, neg)
		}
	}
}

func TestPrivescCorpus(t *testing.T) {
	c := loadPECorpus(t)
	if c.Check != peCheck {
		t.Fatalf("expected.json is for %q", c.Check)
	}
	gaps := map[[2]string]peKnownGap{}
	for _, g := range c.KnownGaps {
		if g.Finding == "" || g.Wrong == "" {
			t.Errorf("known gap %s %s: says neither what is wrong nor its finding", g.Fixture, g.Principal)
		}
		gaps[[2]string{g.Fixture, g.Principal}] = g
	}
	names := make([]string, 0, len(c.Fixtures))
	for n := range c.Fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	met, gapCount := 0, 0
	seenGaps := map[[2]string]bool{}
	for _, name := range names {
		f := c.Fixtures[name]
		t.Run(name, func(t *testing.T) {
			got := auditPE(t, snapshotPath(filepath.Join("privesc", name+".json")))
			arns := make([]string, 0, len(f.Principals))
			for arn := range f.Principals {
				arns = append(arns, arn)
			}
			sort.Strings(arns)
			for arn := range got {
				if _, ok := f.Principals[arn]; !ok {
					t.Errorf("%s: a result for %s, which is not a user, group or role of the fixture", name, arn)
				}
			}
			for _, arn := range arns {
				e := f.Principals[arn]
				msg := "no result"
				if r, ok := got[arn]; ok {
					msg = peMismatch(arn, e, r)
				}
				key := [2]string{name, arn}
				g, isGap := gaps[key]
				seenGaps[key] = isGap
				switch {
				case msg == "" && isGap:
					t.Errorf("%s: known gap %s is met now: remove it from PrivescKnownGaps", arn, g.Finding)
				case msg == "":
					met++
				case isGap:
					gapCount++
					t.Logf("known gap (%s): %s: %s; expected because %s", g.Finding, arn, msg, e.Why)
				default:
					t.Errorf("%s: %s; expected because %s", arn, msg, e.Why)
				}
			}
		})
	}
	for key, g := range gaps {
		if _, ok := seenGaps[key]; !ok && g.Fixture != "differential" {
			t.Errorf("known gap for %s %s names no expectation of the corpus", g.Fixture, g.Principal)
		}
	}
	t.Logf("privesc corpus: %d expectations met, %d known gaps", met, gapCount)
}
