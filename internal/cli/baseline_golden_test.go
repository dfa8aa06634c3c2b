package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// guideBaseline writes a baseline of the guide-as-written account: its own
// JSON report without LD-ADM-02's failure on alice (so that failure is new
// now) and with LD-ADM-01 failing on group/Users (fixed now, since it
// passes).
func guideBaseline(t *testing.T, dir string) string {
	t.Helper()
	out, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("baseline audit: exit %d %s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, x := range doc["results"].([]any) {
		r := x.(map[string]any)
		arn := r["resource"].(map[string]any)["arn"]
		if r["check_id"] == "LD-ADM-02" && arn == acct+"user/alice" {
			continue
		}
		if r["check_id"] == "LD-ADM-01" && arn == acct+"group/Users" {
			r["status"] = "FAIL"
			r["message"] = "group/Users grants administrator access."
		}
		kept = append(kept, r)
	}
	doc["results"] = kept
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, "baseline.json", string(data))
}

// Waived, expired, new and known findings and a fixed one in every format.
// Regenerate with `go test ./internal/cli -run GoldenWaivers -update`.
func TestGoldenWaiversAndBaseline(t *testing.T) {
	base := guideBaseline(t, t.TempDir())
	for format, ext := range goldenFormats {
		golden := filepath.Join("testdata", "golden", "waivers-baseline__guide-as-written."+ext)
		stdout, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", format, "--fail-on", "none",
			"--sarif-root", repoRoot, "--waivers", guideWaivers, "--baseline", base)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if *update {
			if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%s: %v (run with -update to create)", golden, err)
		}
		if string(want) != stdout {
			t.Errorf("%s differs from the golden file; rerun with -update and review the diff", golden)
		}
	}
}

// With --baseline, each result is new or known, only new failures count
// for the exit code, and failures fixed since are listed.
func TestBaselineNewKnownFixed(t *testing.T) {
	dir := t.TempDir()
	base := guideBaseline(t, dir)
	out, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--baseline", base)
	// LD-ADM-02 on alice (high) is the one new failure.
	if code != ExitFindings || !strings.Contains(stderr, "1 failing result(s)") {
		t.Errorf("exit %d, want 1 for the one new failure: %s", code, stderr)
	}
	rep := decodeJSONReport(t, out)
	for _, r := range rep.Results {
		want := findings.BaselineKnown
		if r.CheckID == "LD-ADM-02" && r.Resource.ARN == acct+"user/alice" {
			want = findings.BaselineNew
		}
		if r.CheckID == "LD-ADM-01" && r.Resource.ARN == acct+"group/Users" {
			want = findings.BaselineNew // a PASS that failed in the baseline
		}
		if r.Baseline != want {
			t.Errorf("%s on %s (%s): baseline %q, want %q", r.CheckID, r.Resource.ARN, r.Status, r.Baseline, want)
		}
	}
	if len(rep.Fixed) != 1 || rep.Fixed[0].CheckID != "LD-ADM-01" || rep.Fixed[0].Resource.ARN != acct+"group/Users" || rep.Fixed[0].Location != nil {
		t.Errorf("fixed = %+v", rep.Fixed)
	}
	if rep.BaselineDigest == "" {
		t.Error("no baseline_snapshot_digest")
	}
	// New failures below --fail-on do not count either.
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--baseline", base, "--fail-on", "critical"); code != ExitOK {
		t.Errorf("--fail-on critical, the new failure is high: exit %d %s", code, stderr)
	}
	// Against its own report, nothing is new and nothing is fixed.
	self := filepath.Join(dir, "self.json")
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "-o", "json="+self, "--format", "json", "--fail-on", "none"); code != ExitOK {
		t.Fatal(stderr)
	}
	out, stderr, code = run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--baseline", self)
	if code != ExitOK {
		t.Errorf("the same audit as baseline: exit %d %s", code, stderr)
	}
	if rep := decodeJSONReport(t, out); len(rep.Fixed) != 0 {
		t.Errorf("fixed against itself: %+v", rep.Fixed)
	}
	// A failure the run could not assess is not fixed: the partial snapshot
	// leaves LD-ADM-01 NOT_ASSESSED.
	out, _, _ = run(t, "audit", "--snapshot", snapshotPath("partial-access-denied.json"), "--format", "json", "--baseline", self, "--fail-on", "none")
	for _, r := range decodeJSONReport(t, out).Fixed {
		if r.CheckID == "LD-ADM-01" || r.CheckID == "LD-MFA-01" {
			t.Errorf("%s on %s listed as fixed though not assessed", r.CheckID, r.Resource.ARN)
		}
	}
}

// Fingerprints are the same across runs, across a snapshot whose lines
// moved (indented differently, entities reordered), and across a
// catalogue change that keeps a check's meaning (title, severity, message
// and package reworded): a baseline taken before marks the failures known.
func TestFingerprintsStable(t *testing.T) {
	dir := t.TempDir()
	fps := func(args ...string) map[string]string {
		t.Helper()
		out, stderr, _ := run(t, append([]string{"audit", "--format", "json", "--fail-on", "none", "--allow-incomplete"}, args...)...)
		rep := decodeJSONReport(t, out)
		if len(rep.Results) == 0 {
			t.Fatalf("no results: %s", stderr)
		}
		m := map[string]string{}
		for _, r := range rep.Results {
			m[r.CheckID+" "+r.Resource.ARN+" "+r.Detail] = r.Fingerprint
		}
		return m
	}
	same := func(name string, a, b map[string]string) {
		t.Helper()
		if len(a) != len(b) {
			t.Errorf("%s: %d results, then %d", name, len(a), len(b))
		}
		for k, v := range a {
			if b[k] != v {
				t.Errorf("%s: %s fingerprint %s, then %q", name, k, v, b[k])
			}
		}
	}
	first := fps("--snapshot", snapshotPath(guideAll))
	same("a second run", first, fps("--snapshot", snapshotPath(guideAll)))

	// Line shifts: the same snapshot with users and roles in reverse order
	// and four-space indentation, so every entity is on other lines.
	raw := mustRead(t, snapshotPath(guideAll))
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"users", "roles", "groups", "policies"} {
		if l, ok := doc[k].([]any); ok {
			for i, j := 0, len(l)-1; i < j; i, j = i+1, j-1 {
				l[i], l[j] = l[j], l[i]
			}
		}
	}
	shifted, _ := json.MarshalIndent(doc, "\n", "    ")
	sp := writeFile(t, dir, "shifted.json", "\n\n\n"+string(shifted))
	if _, _, err := snapshot.Load(sp); err != nil {
		t.Fatal(err)
	}
	same("a snapshot with shifted lines", first, fps("--snapshot", sp))

	// A catalogue change that keeps the check's meaning.
	v1 := `# METADATA
# title: Alice must not exist
# custom:
#   id: LD-X-07
#   severity: low
#   section: Custom
#   requires: [credential_report]
#   remediation: Remove alice.
package lockdown.checks.custom_alice

results contains {"status": "FAIL", "resource": {"arn": "arn:aws:iam::123456789012:user/alice"}, "detail": "console", "message": "alice exists"}
`
	v2 := strings.NewReplacer("Alice must not exist", "No user named alice", "severity: low", "severity: high",
		"custom_alice", "custom_alice_v2", "alice exists", "user alice is still present", "Remove alice.", "Delete the user alice.").Replace(v1)
	r1 := writeRules(t, map[string]string{"a.rego": v1})
	r2 := writeRules(t, map[string]string{"renamed.rego": v2})
	a, b := fps("--snapshot", snapshotPath(guideAll), "--rules", r1), fps("--snapshot", snapshotPath(guideAll), "--rules", r2)
	same("a reworded catalogue", a, b)
	if a["LD-X-07 arn:aws:iam::123456789012:user/alice console"] == "" {
		t.Fatal("the custom check did not run")
	}
	// A baseline taken with the old wording: the reworded check's failure is known.
	old := filepath.Join(dir, "old.json")
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--rules", r1, "-o", "json="+old, "--format", "json", "--fail-on", "none"); code != ExitOK {
		t.Fatal(stderr)
	}
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--rules", r2, "--format", "json", "--baseline", old); code != ExitOK {
		t.Errorf("against the old catalogue's baseline: exit %d %s", code, stderr)
	}
	// And the fingerprint itself has not changed between versions.
	if fp := first["LD-ADM-03 arn:aws:iam::123456789012:role/AdminRole "]; fp != "b7f795e80b90be9829b6cd8540ffcdef" {
		t.Errorf("LD-ADM-03 on AdminRole: fingerprint %s, was b7f795e80b90be9829b6cd8540ffcdef", fp)
	}
}
